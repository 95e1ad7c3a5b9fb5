import xml.etree.ElementTree as ET

from skill.domain.speech import Pause, pick, plain_text, to_ssml


def test_text_is_escaped_so_ssml_stays_well_formed():
    ssml = to_ssml(['Tom & Jerry\'s <ankles> "pop"'])
    assert ET.fromstring(ssml).text.strip() == 'Tom & Jerry\'s <ankles> "pop"'


def test_long_pauses_become_chained_breaks_of_at_most_ten_seconds():
    ssml = to_ssml(["hold", Pause(25), "done"])
    assert ssml.count("<break") == 3
    assert '<break time="10000ms"/> <break time="10000ms"/> <break time="5000ms"/>' in ssml


def test_tiny_and_zero_pauses_produce_no_break():
    assert "<break" not in to_ssml(["a", Pause(0), "b", Pause(0.001)])


def test_plain_text_drops_pauses():
    assert plain_text(["one", Pause(3), "two"]) == "one two"


def test_pick_is_stable_for_a_key_and_varies_across_keys():
    variants = ["a", "b", "c"]
    assert pick(variants, "turn-1") == pick(variants, "turn-1")
    assert len({pick(variants, f"turn-{i}") for i in range(30)}) == 3
    assert pick("only", "x") == "only"
