"""An assessment names each input by its file name, and keeps everything else a location says."""

import attrs

from regframe.assess.provenance import FileNames
from regframe.core.diagnostics import Location


def test_a_location_keeps_every_field_but_its_folder():
    # every field set, so a field added to Location and not copied by FileNames.location fails here
    values = {"file": "/home/ana/returns/la-return.xlsx", "line": 7, "column": "B", "sheet": "Placements",
              "cell": "B7", "row": 7, "path": "/evidence/item[3]"}
    assert set(values) == {field.name for field in attrs.fields(Location)}
    named = FileNames(["/home/ana/returns/la-return.xlsx"]).location(Location(**values))
    assert named == Location(**{**values, "file": "la-return.xlsx"})


def test_a_location_without_a_file_is_left_as_it_is():
    location = Location(line=3)
    assert FileNames([]).location(location) is location
    assert FileNames([]).location(None) is None


def test_a_locations_text_names_its_file_as_the_location_itself_would():
    names = FileNames(["/home/ana/returns/la-return.xlsx"])
    folder = "/home/ana/returns/"
    for location in (Location(file=folder + "la-return.xlsx", sheet="Placements", cell="B7"),
                     Location(file=folder + "la-return.xlsx", sheet="Placements", row=9),
                     Location(file=folder + "evidence.xml", line=12, column=4, path="/evidence/item[3]"),
                     Location(file=folder + "returns.csv", row=3, column="urn"),
                     Location(line=5)):
        assert names.location_text(location) == str(names.location(location))
    assert names.location_text(Location(file=folder + "evidence.xml", line=12)) == "evidence.xml:12"
