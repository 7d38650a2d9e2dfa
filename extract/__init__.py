"""The extraction pipeline: documents -> mentions -> figures -> tables -> package.

* :mod:`.text` decodes a document and cuts it into sentence spans;
* :mod:`.mentions` finds every number with its hedge, range and unit of length;
* :mod:`.classify` decides what each number counts (noun, reporting term, unit);
* :mod:`.context` reads where, when, who says so, and whether it is a forecast;
* :mod:`.figures` assembles one row per figure: :func:`.figures.extract_document`;
* :mod:`.package` and :mod:`.build` turn rows into validated Frictionless packages.

The vocabularies these modules read are data files in ``vocab/`` (see README.md).
"""
