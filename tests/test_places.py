from factories import article, mention

from storymap.places import group_places, slug

A = article(
    ("", "The president met at the White House. Later he flew to Washington. Colombian officials spoke."),
    ("Drugs", "Traffickers operate from Madrid. Madrid is far."),
)


def test_mentions_of_one_entry_merge_into_one_place_in_order_of_first_mention():
    ms = [
        mention(A.text, "Madrid", occurrence=1, ref="gn:madrid", country="ES"),
        mention(A.text, "Madrid", ref="gn:madrid", country="ES"),
        mention(A.text, "Washington", ref="gn:dc", country="US"),
    ]
    places = group_places(A, ms)
    assert [p.name for p in places] == ["Washington", "Madrid"]
    madrid = places[1]
    assert [m.start for m in madrid.mentions] == sorted(m.start for m in ms[:2])
    assert madrid.mentions[0].sentence == "Traffickers operate from Madrid."
    assert madrid.mentions[0].section == "Drugs"
    assert all(A.text[m.start : m.end] == m.text for m in madrid.mentions)


def test_landmark_joins_the_place_it_stands_for_when_that_place_is_named():
    ms = [
        mention(A.text, "White House", ref="landmark:wh", kind="landmark", stands_for="gn:dc"),
        mention(A.text, "Washington", ref="gn:dc"),
    ]
    [place] = group_places(A, ms)
    assert place.name == "Washington" and place.kind == "city"
    assert [m.text for m in place.mentions] == ["White House", "Washington"]
    assert place.mentions[0].sentence == "The president met at the White House."


def test_landmark_alone_is_its_own_place():
    ms = [mention(A.text, "White House", ref="landmark:wh", kind="landmark", stands_for="gn:dc")]
    [place] = group_places(A, ms)
    assert place.kind == "landmark" and place.name == "White House"


def test_demonym_only_makes_no_place_but_adds_quotes_to_a_named_country():
    only_demonym = [mention(A.text, "Colombian", ref="country:CO", demonym=True, kind="country")]
    assert group_places(A, only_demonym) == []
    text = "Colombia hosted talks. Colombian officials spoke."
    art = article(("", text))
    ms = [
        mention(text, "Colombia", ref="country:CO", kind="country"),
        mention(text, "Colombian", ref="country:CO", kind="country", demonym=True, confidence=0.99),
    ]
    [place] = group_places(art, ms)
    assert len(place.mentions) == 2
    assert place.confidence == 0.9  # demonyms do not raise confidence


def test_low_confidence_places_are_flagged_for_review():
    [place] = group_places(A, [mention(A.text, "Madrid", ref="gn:madrid", confidence=0.3)])
    assert place.review and place.confidence == 0.3


def test_ids_are_unique_slugs():
    text = "Cartagena and Cartagena."
    art = article(("", text))
    ms = [
        mention(text, "Cartagena", ref="gn:co", country="CO"),
        mention(text, "Cartagena", occurrence=1, ref="gn:es", country="ES"),
    ]
    assert [p.id for p in group_places(art, ms)] == ["cartagena", "cartagena-es"]
    assert slug("São Paulo!") == "sao-paulo"
    assert slug("北京") == "place"
