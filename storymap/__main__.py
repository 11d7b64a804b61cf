"""``python -m storymap`` runs the command line."""

from storymap.cli import run

if __name__ == "__main__":
    run()
