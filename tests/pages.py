"""Real-pattern news pages written for the tests (no copied articles): shared by several test files."""

from __future__ import annotations

PARAS = [
    "Torrential rain flooded towns south of Valencia on Tuesday night, sweeping cars through the streets "
    "of Paiporta and cutting the motorway to Madrid for most of the morning.",
    "Emergency services in the region said more than a hundred people had been rescued from roofs and "
    "cars, and the national weather agency kept its red warning for the coast until Wednesday evening.",
    "In the orange groves around Alzira, growers said the water had destroyed much of the harvest only "
    "weeks before it was due to be picked, and the regional government promised emergency aid.",
    "Further north, in Castellón, schools stayed closed while engineers checked the bridges over the "
    "river, which rose by four metres in a single night according to the basin authority.",
    "Critics asked why the alert reached mobile phones only after the water was already in the streets "
    "of Chiva, hours after the weather agency first warned of extreme rainfall over the inland hills.",
]

NEWS_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Floods close roads across Valencia | The Coastal Herald</title>
<link rel="canonical" href="https://news.example.org/2024/10/30/valencia-floods">
<meta property="og:site_name" content="The Coastal Herald">
<meta property="og:title" content="Floods close roads across Valencia">
<meta name="author" content="Marta Ruiz">
<meta property="article:published_time" content="2024-10-30T09:15:00Z">
<script>window.dataLayer = [{{"page": "article", "section": "Europe"}}];</script>
</head><body>
<a class="skip" href="#main">Skip to main content</a>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience on our site.
By continuing to browse you agree to our use of cookies.</p><button>Accept all</button></div>
<header class="site-header"><nav><ul><li><a href="/world">World</a></li><li><a href="/us">United States</a>
</li><li><a href="/china">China</a></li><li><a href="/russia">Russia</a></li><li><a href="/gaza">Gaza</a>
</li></ul></nav></header>
<main id="main"><article>
<h1>Floods close roads across Valencia</h1>
<div class="byline">By <a href="/authors/marta-ruiz">Marta Ruiz</a> · 30 October 2024</div>
<div class="share"><a href="https://twitter.com/share">Share on Twitter</a>
<a href="https://facebook.com/share">Share on Facebook</a> <span>Share this:</span></div>
<p>{PARAS[0]}</p>
<p>{PARAS[1]}</p>
<h2>Farmers count the cost</h2>
<p>{PARAS[2]}</p>
<p>{PARAS[3]}</p>
<h2>A warning ignored</h2>
<p>{PARAS[4]}</p>
</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Wildfires rage near Athens</a></li>
<li><a href="/b">Storm hits Hong Kong</a></li><li><a href="/c">Heatwave in Berlin</a></li></ul></aside>
</main>
<footer><p>© 2024 The Coastal Herald, London. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"""


def latin1_page(declaration: str) -> bytes:
    """A Spanish article encoded in ISO-8859-1, declaring its charset with ``declaration``."""
    return (
        f"<html><head>{declaration}<title>Protestas en Bogotá</title></head><body><article>"
        f"<h1>Protestas en Bogotá</h1><p>Miles de personas marcharon en Bogotá y en São Paulo el martes "
        f"para pedir más empleo, según la policía, que cerró las calles del centro durante la mañana.</p>"
        f"<p>En Medellín, la alcaldía abrió un diálogo con los sindicatos y prometió una reunión el jueves "
        f"con los representantes de los trabajadores del puerto y de las fábricas textiles.</p>"
        f"</article></body></html>"
    ).encode("iso-8859-1")
