"""Coverage-guided fuzzing of the parser and exporters with atheris (run by hand, bounded).

    pip install atheris
    python benchmarks/fuzz.py -max_total_time=300 [corpus_dir]

The property: for any bytes, decoding either raises the one documented exception or gives
text whose parse exports to TEI and JSON-LD that validate against the bundled schemas.
Anything else stops the fuzzer with the input; each such input becomes a regression test
in tests/test_parser.py.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    import exporters
    import transcript_model
    from exporters.validation import errors


def one_input(data: bytes) -> None:
    try:
        text = transcript_model.decode(data)
        t = transcript_model.parse(text)
    except transcript_model.UnreadableInputError:
        return
    tei_problems = errors(exporters.validate_tei(exporters.to_tei(t)))
    json_problems = errors(exporters.validate_jsonld(exporters.to_jsonld(t)))
    if tei_problems or json_problems:
        raise AssertionError(f"invalid export: {tei_problems[:3]} {json_problems[:3]}")
    if exporters.from_tei(exporters.to_tei(t)) != t:
        raise AssertionError("TEI round trip changed the transcript")


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
