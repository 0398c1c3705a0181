"""soc-parquet: Parquet in and out of the soc-tools JSONL filters (see docs/io.md).

  soc-parquet to-jsonl FILE.parquet...      one compact JSON object per row, to stdout
  soc-parquet from-jsonl [FILE] -o OUT.parquet   JSONL (a file or stdin) to one Parquet file

Exit status as the tools: 0 ok, 1 a record that cannot be converted, 2 usage, 3 I/O.
The tools stay JSONL filters; this bridge is the tested way in and out of Parquet.
"""

import argparse
import base64
import datetime
import decimal
import json
import os
import sys
import tempfile

# Rows per Parquet row group and per read batch: memory is bounded by this, not the file.
BATCH_ROWS = 10_000


class ConversionError(Exception):
    """A record that cannot be represented in the other format (status 1)."""


def fail(status, message):
    sys.stderr.write(f"soc-parquet: {message}\n")
    sys.exit(status)


def load_pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        fail(3, "pyarrow is not installed: run scripts/pyenv.sh (it installs requirements/io.txt), "
                "or set SOC_PYTHON to a Python that has pyarrow")
    return pyarrow, pyarrow.parquet


def json_default(value):
    """Arrow values that JSON has no type for, written as their usual text."""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return float(value) if value == decimal.Decimal(float(value)) else str(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    raise ConversionError(f"a {type(value).__name__} value has no JSON form")


def to_jsonl(args):
    pa, pq = load_pyarrow()
    out = sys.stdout.buffer
    for path in args.files:
        try:
            parquet = pq.ParquetFile(path)
        except (OSError, pa.ArrowException) as error:
            fail(3, f"{path}: cannot read as Parquet: {error}")
        row = 0
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
            lines = []
            for record in batch.to_pylist():
                row += 1
                try:
                    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"),
                                      allow_nan=False, default=json_default)
                except ValueError:
                    fail(1, f"{path}: row {row}: a NaN or infinite float has no JSON form")
                except ConversionError as error:
                    fail(1, f"{path}: row {row}: {error}")
                lines.append(text.encode("utf-8", "surrogatepass") + b"\n")
            out.write(b"".join(lines))
    out.flush()


def read_records(stream, name):
    """Yields lists of parsed records, BATCH_ROWS at a time; a bad line stops with status 1."""
    batch = []
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            fail(1, f"{name}:{number}: malformed_json: {error} (check the file with soc-validate first)")
        if not isinstance(record, dict):
            fail(1, f"{name}:{number}: not an object: a Parquet row is a JSON object")
        try:
            json.dumps(record, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            fail(1, f"{name}:{number}: a lone surrogate (\\ud800-\\udfff) cannot be stored in Parquet's UTF-8 strings")
        batch.append((number, record))
        if len(batch) == BATCH_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch


def infer_schema(pa, path, name):
    """First pass: the columns of every record (keys at every depth, in first-seen order), with
    types widened where records differ (an integer column that also holds 1.5 becomes double).
    Taken from the first rows alone, a key that only later records have would be dropped."""
    schema = None
    with open(path, "rb") as stream:
        for batch in read_records(stream, name):
            try:
                struct = pa.array([record for _, record in batch]).type
                found = pa.schema(list(struct))
                schema = found if schema is None else pa.unify_schemas([schema, found], promote_options="permissive")
            except (pa.ArrowException, OverflowError, TypeError) as error:
                fail(1, f"{name}:{batch[0][0]}-{batch[-1][0]}: no Parquet column type holds these values: {error}")
    return schema


def from_jsonl(args):
    pa, pq = load_pyarrow()
    name = args.file if args.file != "-" else "<stdin>"
    spool = None
    source = args.file
    if args.file == "-":
        # Two passes (columns, then rows) need the input twice: stdin is kept in a temporary file.
        spool = tempfile.NamedTemporaryFile(prefix="soc-parquet-", delete=False)
        with spool:
            while chunk := sys.stdin.buffer.read(1 << 20):
                spool.write(chunk)
        source = spool.name
    elif not os.path.isfile(args.file):
        fail(3, f"{args.file}: cannot open: no such file")
    directory = os.path.dirname(os.path.abspath(args.output))
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix="." + os.path.basename(args.output) + ".tmp-")
        os.close(handle)
    except OSError as error:
        fail(3, f"{args.output}: cannot create a temporary file in {directory}: {error.strerror}")
    writer = None
    try:
        schema = infer_schema(pa, source, name)
        if schema is None:
            fail(1, f"{name}: no records: a Parquet file needs at least one row to have columns")
        writer = pq.ParquetWriter(temporary, schema)
        with open(source, "rb") as stream:
            for batch in read_records(stream, name):
                try:
                    table = pa.Table.from_pylist([record for _, record in batch], schema=schema)
                except (pa.ArrowException, OverflowError, TypeError) as error:
                    fail(1, f"{name}:{batch[0][0]}-{batch[-1][0]}: a value does not fit its column: {error}")
                writer.write_table(table, row_group_size=BATCH_ROWS)
        writer.close()
        writer = None
        os.replace(temporary, args.output)
    except OSError as error:
        fail(3, f"{args.output}: {error}")
    finally:
        if writer is not None:
            writer.close()
        if os.path.exists(temporary):
            os.unlink(temporary)
        if spool is not None:
            os.unlink(spool.name)


def main():
    parser = argparse.ArgumentParser(
        prog="soc-parquet", description="Convert between Parquet and the JSONL the soc-tools filter.")
    commands = parser.add_subparsers(dest="command", required=True)
    to = commands.add_parser("to-jsonl", help="Parquet rows as JSONL on stdout, one compact object per line.")
    to.add_argument("files", nargs="+", metavar="FILE.parquet")
    back = commands.add_parser("from-jsonl", help="JSONL (a file or stdin) to a Parquet file, atomically.")
    back.add_argument("file", nargs="?", default="-", metavar="FILE")
    back.add_argument("-o", "--output", required=True, metavar="OUT.parquet")
    try:
        args = parser.parse_args()
    except SystemExit as exit:
        sys.exit(2 if exit.code else 0)
    try:
        (to_jsonl if args.command == "to-jsonl" else from_jsonl)(args)
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, as the tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":
    main()
