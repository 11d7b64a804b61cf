"""``python -m storymap`` runs the command line."""

from storymap.cli import main

if __name__ == "__main__":
    main()
