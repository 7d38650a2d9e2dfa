"""The extractor on what golden sentences do not say: bounds, quotes, periods, places, sources, hedges.

The sentences and the figures a reader takes from them are data, in tests/golden/*.jsonl (see test_golden.py);
the tests here check the other columns of a row.
"""

from __future__ import annotations

import pytest

from displacement_figures.extract.figures import extract_document


def test_vague_quantities_get_bounds_not_values():
    rows = extract_document("Tens of thousands of people fled the city.", "t")
    assert [(r["value"], r["value_low"], r["value_high"], r["qualifier"]) for r in rows] == [(None, 20000, 99999, "vague")]


def test_a_conversion_is_one_figure():
    rows = extract_document("The rebels are 5 km (3 miles) from the city of Homs.", "t")
    assert len(rows) == 1 and rows[0]["quote"] == "5 km (3 miles)" and rows[0]["unit_as_written"] == "km"


@pytest.mark.parametrize(("text", "wanted"), [
    ("The town is 22 miles (35 kilometers) north of the capital.", (35, 35, 35, "35", "kilometers", "exact")),
    ("Up to 100 miles (160 km) from the coast, roads are cut.", (160, None, 160, "160", "km", "up_to")),
    ("The camp is about 14 miles (23 km) from Goma.", (23, None, None, "23", "km", "approximate")),
])
def test_a_conversion_the_text_states_in_km_is_the_value(text, wanted):
    """Converting the miles would give 35.406 km, a precision the text never states: its own km figure is taken."""
    [row] = extract_document(text, "t")
    got = (row["value"], row["value_low"], row["value_high"], row["value_as_written"], row["unit_as_written"],
           row["qualifier"])
    assert got == wanted and row["rule"] == "distance:stated_conversion"
    assert row["quote"].endswith(")")  # one figure, cited with its conversion


def test_hedges_are_recorded():
    text = ("At least 10 people were killed. More than 4,400 people were evacuated. Up to 7,800 IDPs live there. "
            "About 300 people were displaced. Between 100 and 200 homes were destroyed.")
    got = [(r["qualifier"], r["value"], r["value_low"], r["value_high"]) for r in extract_document(text, "t")]
    assert got == [("at_least", 10, 10, None), ("more_than", 4400, 4400, None), ("up_to", 7800, None, 7800),
                   ("approximate", 300, None, None), ("range", None, 100, 200)]


@pytest.mark.parametrize(("text", "period"), [
    ("As of Oct. 25, 12,000 people were displaced in Sylhet.", "As of Oct. 25"),
    ("Some 12,000 people were displaced as of 3 March 2024, officials said.", "as of 3 March 2024"),
    ("Since October 7, 2023, some 12,000 people have been displaced.", "Since October 7, 2023"),
    ("Between 1 and 15 June, 4,000 people fled the city.", "Between 1 and 15 June"),
    ("Of the 239,500 people affected, 12,100 have been evacuated as of 6 p.m. Saturday.", "as of 6 p.m. Saturday"),
    ("As of 0600 GMT on 3 March, 400 people had fled.", "As of 0600 GMT on 3 March"),
    ("About 300 people were displaced in the past week.", "in the past week"),
    # a day then a count, not one number grouped "5, 300" (as "61, 000" is) nor 6,280,000
    ("As of Jan. 5, 300 people had fled the town.", "As of Jan. 5"),
    ("On Dec. 6, 280,000 people were displaced, the UN said.", "On Dec. 6"),
    ("On March 3, 200 families were evacuated from Tete.", "On March 3"),
])
def test_the_period_keeps_its_date(text, period):
    """A date's day and year are numbers but no figures: they end no period ("as of Oct. 25", not "as of Oct")."""
    (row,) = extract_document(text, "t")
    assert row["reference_period"] == period


def test_a_list_of_places_names_each_part():
    rows = extract_document("The ministry reports 153 deaths (Jajarkot 101, Rukum West 52).", "t")
    assert [(r["value"], r["location"], r["quote"]) for r in rows[1:]] == [
        (101, "Jajarkot", "Jajarkot 101"), (52, "Rukum West", "Rukum West 52")]


def test_words_broken_at_line_ends_are_read_joined_and_cited_as_written():
    """PDF text breaks words at line ends ("dis-\nplaced"): the figure is read, the quote is the text as written."""
    text = ("Some 1, 302, 719 persons have been dis-\nplaced and 8, 380 houses are fully dam-\n  aged. "
            "The capital (popula-\ntion approx. 23,000) lies 65 km south of the volcano.")
    rows = extract_document(text, "t")
    assert [(r["category"], r["term"], r["value"]) for r in rows] == [
        ("displacement", "displaced", 1302719), ("displacement", "destroyed_housing", 8380),
        ("population", "population", 23000), ("distance", "distance", 65)]
    for r in rows:
        assert text[r["char_start"]:r["char_end"]] == r["quote"]
        assert text[r["sentence_start"]:r["sentence_end"]] == r["sentence"]
    assert rows[0]["quote"].endswith("dis-\nplaced") and rows[1]["quote"].endswith("dam-\n  aged")


def test_numbers_an_ocr_engine_read_with_letters_are_read_as_digits_and_cited_as_written():
    text = ("The number of dead may exceed l,OO,OOO. In one thana alone 4O,OOO bodies are reported. "
            "Manpura island lies about 3O miles south-east of Bhola, a village of some 3,OOO souls.")
    rows = extract_document(text, "t")
    assert [(r["category"], r["value"]) for r in rows] == [
        ("casualties", 100000), ("casualties", 40000), ("distance", 48.28), ("population", 3000)]
    assert rows[1]["value_as_written"] == "4O,OOO" and rows[1]["quote"] == "4O,OOO bodies"
    assert all(text[r["char_start"]:r["char_end"]] == r["quote"] for r in rows)


def test_a_tilde_is_a_hedge():
    rows = extract_document("~400 people fled. Sittwe is ~100 km north of the border.", "t")
    assert [(r["qualifier"], r["value_low"], r["value_high"]) for r in rows] == [("approximate", None, None)] * 2
    assert rows[0]["quote"].startswith("~")


def test_projections_are_flagged():
    rows = extract_document("Another 10 000 people might have to be evacuated.", "t")
    assert rows[0]["modality"] == "projected"


LOCATIONS = [
    # The counted noun is never the place, even capitalised.
    ("IDMC estimates that there were up to 7,800 IDPs in the Republic of Congo.", "Republic of Congo"),
    ("In 1997 as many as 35,326 Brus took shelter in six camps.", ""),
    ("144,044 Evacuated people at the height of floods", ""),
    # An institution is not where a figure happened.
    ("The Bureau of Meteorology said some 800 people were forced into temporary shelters.", ""),
    ("Volunteers of the CAR Red Cross identified 1,314 families who had lost their houses.", ""),
    # Mojibake inside a name, and a French name.
    ("An estimated 300,000 civilians remained displaced within Cote d\ufffdIvoire.", "Cote d\ufffdIvoire"),
    ("Some 2,000 people were evacuated in Guant\ufffdnamo Province.", "Guant\ufffdnamo"),
    # A capitalised word after a verb is a place, not a group of people.
    ("Thousands evacuate Syria’s Homs as rebels advance", "Homs"),
]


@pytest.mark.parametrize(("sentence", "place"), LOCATIONS, ids=[c[0][:40] for c in LOCATIONS])
def test_location_is_a_place(sentence, place):
    rows = [r for r in extract_document(sentence, "t") if r["category"] != "distance"]
    assert rows and rows[0]["location"] == place


def test_a_capitalised_plural_right_after_a_number_is_a_group():
    rows = extract_document("The valley with its 200,000+ Christians is now surrounded.", "t")
    assert rows[0]["group"] == "Christians"
    rows = extract_document("Thousands evacuate Syria’s Homs as rebels advance", "t")
    assert rows[0]["group"] == "" and rows[0]["quote"] == "Thousands evacuate"


def test_a_named_source_may_hold_of():
    rows = extract_document("Queensland's Bureau of Meteorology said some 800 people were forced into shelters.", "t")
    assert rows[0]["attributed_to"] == "Queensland's Bureau of Meteorology"


def test_a_source_named_by_a_common_noun_is_the_one_named_before():
    text = ("The Ministry of Civil Affairs said on Monday that floods had hit five provinces. "
            "About 289,000 residents have been relocated, according to the ministry.")
    assert extract_document(text, "t")[0]["attributed_to"] == "Ministry of Civil Affairs"
    # With no earlier source, the words stay as written.
    assert extract_document("About 289,000 residents were relocated, according to the ministry.", "t")[0][
        "attributed_to"] == "ministry"


def test_no_vocabulary_phrase_alternates_whole_phrases():
    """A "|" separates alternatives of one word ("took|taken shelter"). "set fire to|set ablaze" reads "set fire
    (to or set) ablaze" and matches neither phrase: an alternative that repeats the phrase's first word is that
    mistake."""
    import csv

    from displacement_figures.extract.vocabulary import VOCAB_DIR

    for name, column in (("terms.csv", "phrase"), ("nouns.csv", "word"), ("qualifiers.csv", "phrase")):
        with open(VOCAB_DIR / name, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                tokens = row[column].split()
                for token in tokens[1:]:
                    assert "|" not in token or tokens[0] not in token.split("|"), (name, row[column])
                # the same mistake further on: "staying with relatives|host families" repeats "families"
                for i, token in enumerate(tokens):
                    others = {a for j, t in enumerate(tokens) if j != i for a in t.split("|")}
                    assert "|" not in token or not others & set(token.split("|")), (name, row[column])


@pytest.mark.parametrize(("text", "who"), [
    # the speaker the sentence names comes before an organisation named elsewhere in it
    (("MAPUTO, June 12 (Reuters) - Insurgent attacks have displaced nearly 100,000 people since February, the "
      "International Organization for Migration said."), "IOM"),
    ("More than 64,000 people have taken refuge in shelters, district administrator Sheikh Rasel Hasan told Reuters.",
     "Sheikh Rasel Hasan"),
    # a news agency in a dateline published the figure; it did not give it
    ("Bamako (AFP) - Jihadists killed 21 civilians in an attack on a wedding procession.", ""),
    ("Xinhua also said that the floods had destroyed more than 300 houses.", "Xinhua"),
    ("More than 15,000 people need to be evacuated from the area, the UN humanitarian office Ocha said.", "OCHA"),
    # "who" is a word, WHO an organisation
    ("Among those who died were 12 children, a doctor said.", ""),
    ("At least 30 people were killed, according to Cuba\ufffds State News Agency, Granma.", "Cuba\ufffds State News Agency"),
])
def test_attributed_to_the_speaker(text, who):
    rows = extract_document(text, "t")
    assert rows and {r["attributed_to"] for r in rows} == {who}


def test_a_sentence_may_end_with_a_single_digit():
    text = "Some 60,000 people had fled since October 6. Gaza's Civil Defence said 300 homes were destroyed."
    rows = extract_document(text, "t")
    assert [r["attributed_to"] for r in rows] == ["", "Gaza's Civil Defence"]
    assert rows[0]["sentence"].endswith("October 6.")


@pytest.mark.parametrize(("text", "place"), [
    ("Floods displaced 5,000 people in Rio Grande do Sul.", "Rio Grande do Sul"),
    ("Some 300 people fled to Sao Jose dos Campos.", "Sao Jose dos Campos"),
])
def test_place_names_with_lower_case_particles(text, place):
    assert [r["location"] for r in extract_document(text, "t")] == [place]


@pytest.mark.parametrize(("text", "value"), [
    ("As of Jan. 5, 300 people had fled the town.", 300),
    ("On Dec. 6, 280,000 people were displaced.", 280000),
    ("By Oct. 12, 1, 500 homes had been destroyed.", 1500),
    ("At least 61, 000 people were evacuated.", 61000),
])
def test_a_day_after_a_month_is_not_the_first_group_of_a_count(text, value):
    """A number keeps one grouping throughout, and after a month a first group that can be a day is the date's."""
    (row,) = extract_document(text, "t")
    assert row["value"] == value


def test_two_places_then_a_distance():
    """"between Napier and Wairoa, a distance of some 120 km": the distance between the places named before it."""
    (row,) = extract_document("State Highway 2 between Napier and Wairoa, a distance of some 120 km, remains closed.", "t")
    assert (row["category"], row["value"], row["qualifier"]) == ("distance", 120.0, "approximate")


def test_a_road_between_two_places_is_a_distance():
    (row,) = extract_document("The 185 km road between Baardheere and Baidoa remains impassable.", "t")
    assert (row["category"], row["value"]) == ("distance", 185.0)


# Sentences of the kind humanitarian reports write (situation reports, cluster bulletins): numbers a term reaches
# that are no figure, each for a rule of English reporting (extract/nonfigures.py, extract/mentions.py).
REPORT_CASES = [
    # a list breaks down what was counted before it: cases, not people in camps
    ("A total of 101 cases have been reported: 3 cases from Kutupalong RC, 7 from camp 1W, 2 in camp 5.", []),
    ("Of the reported cases, 263 were from the clinic in Monguno and 191 were from the IDP camp clinic.", []),
    ("There have been 107 cases (88 from Rohingya refugees and 19 from host community) of AWD.", []),
    ("5,000 people were displaced: 3,000 are in camps and 2,000 in host families.",
     [("displacement", "displaced", 5000, "person"), ("displacement", "displaced", 3000, "person"),
      ("displacement", "displaced", 2000, "person")]),
    # rates
    ("The infant mortality rate was 21 deaths per 1,000 live births.", []),
    ("There was an incidence rate of 32 per 100,000 inhabitants.", []),
    # a term after "including" names a part of the group
    ("The town hosts nearly 200,000 people including IDPs and members of the host community.", []),
    # a term in an aside that closed before the number
    (("According to the displacement tracking matrix (DTM), humanitarian actors estimate that 1.1 million people are "
      "in need."), []),
    ("Data come from the assessment (and the displacement tracking matrix), and 1.1 million people are in need.", []),
    # a part of the population is no population figure
    ("17 per cent of the population (about 5 million people) will be in IPC Phase 4.", []),
    ("Some 15 out of 25 rural population groups were surveyed.", []),
    # footnote marks glued to a word or a bracket; numbers in names; ranks; ages
    ("It left the judiciary severely weakened.27 In addition, 400 people were displaced.",
     [("displacement", "displaced", 400, "person")]),
    ("Nigeria Watch recorded violent deaths (in 2019)539, with Borno state recording the most.", []),
    ("Five deaths were reported from Gwange 3 PHC in MMC.", [("casualties", "killed", 5, "person")]),
    ("Displaced households named shelter among their top three priority needs.", []),
    ("The government will not vaccinate the population under the age of 18.", []),
    ("Evacuees from Libya in Niger (Group 2) were resettled.", []),
    ("Around 280,000 children are at risk of death.", []),
    ("The rate was 4 per 1,000 inhabitants since 2009.7 The rate rose.", []),
    # an abbreviation counted is a facility or a body; a capitalised noun that a name goes on with is part of it
    ("Sites are functional including two UHCs and one DTC near camp 24.", []),
    ("A fire broke out at 400 Housing Estate Camp.", []),
    ("3,030 People Evacuated / Displaced", [("displacement", "evacuated", 3030, "person")]),
    ("Three cases were confirmed: one among Ukhiya Host Community and one in the Rohingya Refugee camps.", []),
    # "casualties" without telling killed from injured
    ("UNAMA documented 8,239 civilian casualties (2,563 deaths and 5,676 injured).",
     [("casualties", "casualties", 8239, "person"), ("casualties", "killed", 2563, "person"),
      ("casualties", "injured", 5676, "person")]),
    # a count is the subject of a copula: "the total number of deaths ... is six"
    ("The total number of deaths due to COVID-19 in the state is six (6)", [("casualties", "killed", 6, "person")]),
    # a heading ends at its line break; a designation before "to" makes no range
    ("Situation update\n\n4,500 people were displaced.", [("displacement", "displaced", 4500, "person")]),
    ("The number of IDPs increased from 172,541 in Round 24 to 373,709 IDPs in Round 29.",
     [("displacement", "displaced", 172541, "person"), ("displacement", "displaced", 373709, "person")]),
    ("The fire fully destroyed 1 solid structure and 2 makeshift shelter attached to it.",
     [("displacement", "destroyed_housing", 1, "dwelling"), ("displacement", "destroyed_housing", 2, "dwelling")]),
]


@pytest.mark.parametrize(("sentence", "wanted"), REPORT_CASES, ids=[c[0][:40] for c in REPORT_CASES])
def test_report_sentence(sentence, wanted):
    got = [(r["category"], r["term"], r["value"], r["unit"]) for r in extract_document(sentence, "t")]
    assert got == wanted
