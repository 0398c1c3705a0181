"""soc-dedup --groups components on Spark: the graph of ComponentGrouping.swift, computed in
Spark from `soc-dedup sign --bands` files, its connected components found by alternating
large-star / small-star rounds (Kiveris et al., "Connected Components in MapReduce and Beyond",
2014: O(log n) rounds), never by collecting edges to the driver.

Records are numbered g = shard * 2^40 + ordinal (input order). Edges (docs/dedup.md, "Components"):
key (a record -> the earliest with its key, weighted by their estimate when both have text),
identity (a record -> the earliest with its signature digest, and text hash with --no-near;
weight 1), near (per band bucket of identity representatives in input order, each verified
against the `window` before it; an edge when the 16-bit estimate >= threshold). The earliest
record of a component survives; a removed record's reason is exact_key if it shares its key,
exact_text if it shares digest and text hash, else near_duplicate; its similarity the largest
weight among its edges. What reaches the driver: the removal list (one short line per removed
record, as `soc-dedup cluster` writes it) and each shard's record count and digest.
"""

import json
import math
import sys
import time

import soc_tools_runner as runner

SHARD_BITS = 40
CHANCE = 1.0 / 65536


def estimate(a, b):
    """LSHIndex.estimate over two verification signatures (bytes of 16-bit values)."""
    x, y = memoryview(a).cast("H"), memoryview(b).cast("H")
    matches = sum(1 for p, q in zip(x, y) if p == q)
    raw = matches / len(x)
    return min(1.0, max(0.0, (raw - CHANCE) / (1 - CHANCE)))


def similarity_text(value):
    """JSONNumber((value * 10000).rounded() / 10000).text of the Swift side."""
    if value is None:
        return "null"
    scaled = value * 10000
    whole = math.floor(scaled)
    rounded = (whole + 1 if scaled - whole >= 0.5 else whole) / 10000
    if rounded == math.floor(rounded) and abs(rounded) < 1e15:
        return str(int(rounded))
    return repr(rounded)


def parse_band_file(index, data):
    """(header fields, records, trailer) of one band file; a record is
    (g, id bytes, key, text, digest, verify bytes or None, [band hashes])."""
    lines = data.split(b"\n")
    header = lines[0].decode().split("\t")
    if header[0] != "#soc-dedup-bands" or header[1] != "v1":
        raise ValueError(f"partition {index}: not a v1 band file")
    fields = dict(field.split("=", 1) for field in header[2:])
    records, trailer = [], None
    for line in lines[1:]:
        if not line:
            continue
        if line.startswith(b"#end\t"):
            parts = dict(p.split("=", 1) for p in line.decode().split("\t")[1:])
            trailer = (int(fields["shard"]), int(parts["records"]), parts["digest"])
            continue
        k, ordinal, _file, _line, ident, key, text, digest, verify, bands = line.split(b"\t")
        g = (int(k) << SHARD_BITS) | int(ordinal)
        has = verify != b"-"
        records.append((
            g, ident, None if key == b"-" else key, None if text == b"-" else text,
            digest if has else None, bytes.fromhex(verify.decode()) if has else None,
            [bands[i:i + 8] for i in range(0, len(bands), 8)] if has else []))
    if trailer is None:
        raise ValueError(f"partition {index}: band file without its #end trailer")
    return fields, records, trailer


def first_of_groups(pairs, n):
    """(group key, g) -> (g, first g of its group) for the non-first members."""
    first = pairs.reduceByKey(min, n)
    return pairs.join(first, n).filter(lambda kv: kv[1][0] != kv[1][1]).map(lambda kv: (kv[1][0], kv[1][1]))


def components(edges, n):
    """Labels (node, smallest node of its component) for every node of `edges` (pairs of
    nodes) that is not itself the smallest: alternating large-star and small-star rounds
    until the edge set no longer changes (it is then a set of stars around each minimum).
    Every shuffle has `n` partitions (a union would otherwise add its inputs' counts up)."""
    pairs = runner.persist(edges.map(lambda e: (max(e), min(e))).filter(lambda e: e[0] != e[1]).distinct(n))
    rounds = 0
    while True:
        rounds += 1

        def large(kv):
            u, neighbours = kv
            neighbours = set(neighbours)
            m = min(neighbours | {u})
            return [(v, m) for v in neighbours if v > u]

        both = pairs.flatMap(lambda e: [e, (e[1], e[0])]).groupByKey(n)
        large_star = both.flatMap(large).distinct(n)

        def small(kv):
            u, lower = kv
            lower = set(lower)
            m = min(lower)
            return [(v, m) for v in lower if v != m] + [(u, m)]

        small_star = runner.persist(large_star.groupByKey(n).flatMap(small).distinct(n))
        small_star.count()
        changed = not small_star.subtract(pairs, n).isEmpty() or not pairs.subtract(small_star, n).isEmpty()
        pairs.unpersist()
        pairs = small_star
        if not changed:
            return pairs, rounds


def apply(step, rdd):
    """The components dedup stage: sign --bands per partition, the graph and its components in
    Spark, the removal list to the driver, apply per partition (soc_dedup_spark)."""
    from soc_dedup_spark import option_value

    started = time.time()
    n = rdd.getNumPartitions()
    cluster_arguments = step.cluster_arguments
    threshold = float(option_value(cluster_arguments, "--threshold", "0.8"))
    fn_weight = option_value(cluster_arguments, "--fn-weight", "0.9")
    window = int(option_value(cluster_arguments, "--bucket-window", "32"))
    files = step.signatures(rdd, extra=["--bands", "--threshold", str(threshold), "--fn-weight", fn_weight])
    parsed = runner.persist(files.map(lambda pair: parse_band_file(*pair)))
    headers = parsed.map(lambda p: tuple(sorted((k, v) for k, v in p[0].items() if k != "shard"))).distinct(n)
    headers = headers.collect()
    if len(headers) != 1:
        raise ValueError(f"band files disagree on their settings: {headers}")
    near = dict(headers[0])["near"] != "0"
    trailers = sorted(parsed.map(lambda p: p[2]).collect())
    records = runner.persist(parsed.flatMap(lambda p: p[1]))
    verify = records.filter(lambda r: r[5] is not None).map(lambda r: (r[0], r[5]))

    # key edges, weighted by the estimate when both records have text
    key_pairs = first_of_groups(records.filter(lambda r: r[2] is not None).map(lambda r: (r[2], r[0])), n)
    key_edges = (key_pairs.leftOuterJoin(verify, n).map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
                 .leftOuterJoin(verify, n)
                 .map(lambda kv: (kv[1][0][0], kv[0],
                                  estimate(kv[1][0][1], kv[1][1]) if kv[1][0][1] is not None and kv[1][1] is not None
                                  else None)))
    key_shared = key_pairs.flatMap(lambda e: [e[0], e[1]]).distinct(n).map(lambda g: (g, True))
    text_pairs = first_of_groups(records.filter(lambda r: r[3] is not None).map(lambda r: ((r[4], r[3]), r[0])), n)
    text_shared = text_pairs.flatMap(lambda e: [e[0], e[1]]).distinct(n).map(lambda g: (g, True))

    # identity edges (weight 1), and the representatives that meet in band buckets
    with_text = records.filter(lambda r: r[5] is not None and (near or r[3] is not None))
    identity = with_text.map(lambda r: ((r[4], b"" if near else r[3]), r[0]))
    identity_pairs = first_of_groups(identity, n)
    edges = key_edges.union(identity_pairs.map(lambda e: (e[0], e[1], 1.0)))
    if near:
        firsts = identity.reduceByKey(min, n).map(lambda kv: (kv[1], True))
        representatives = with_text.map(lambda r: (r[0], r)).join(firsts, n).map(lambda kv: kv[1][0])

        def bucket_edges(kv):
            members = sorted(kv[1])
            found = []
            for p in range(1, len(members)):
                g, sig = members[p]
                for q in range(max(0, p - window), p):
                    other, other_sig = members[q]
                    value = estimate(sig, other_sig)
                    if value >= threshold:
                        found.append((g, other, value))
            return found

        buckets = representatives.flatMap(lambda r: [((band, h), (r[0], r[5])) for band, h in enumerate(r[6])])
        edges = edges.union(buckets.groupByKey(n).flatMap(bucket_edges))
    edges = runner.persist(edges.coalesce(n))
    labels, rounds = components(edges.map(lambda e: (e[0], e[1])), n)
    best = (edges.filter(lambda e: e[2] is not None).flatMap(lambda e: [(e[0], e[2]), (e[1], e[2])])
            .reduceByKey(max, n))

    def fate(kv):
        g, (((survivor, key), text), similarity) = kv
        return g, (survivor, "exact_key" if key else "exact_text" if text else "near_duplicate", similarity)

    def removal_line(kv):
        g, (survivor, reason, similarity) = kv
        mask = (1 << SHARD_BITS) - 1
        return (f"{g >> SHARD_BITS}\t{g & mask}\t{reason}\t{survivor >> SHARD_BITS}\t{survivor & mask}\t"
                f"{similarity_text(similarity)}")

    fates = runner.persist(labels.leftOuterJoin(key_shared, n).leftOuterJoin(text_shared, n)
                           .leftOuterJoin(best, n).map(fate))
    lines = ["#soc-dedup-remove\tv1"] + fates.sortByKey(numPartitions=n).map(removal_line).collect()
    lines += [f"#shard\t{k}\trecords={n}\tdigest={d}" for k, n, d in trailers]
    if step.timings:
        print(f"soc_spark: dedup components: {time.time() - started:.2f} s, {len(lines) - 1 - len(trailers)} "
              f"removed, {rounds} large/small-star rounds", file=sys.stderr)
    step.removal = ("\n".join(lines) + "\n").encode()
    step.clusters = cluster_lines(fates, records.map(lambda r: (r[0], r[1])), n)
    step.temporary += [parsed, records, edges, labels, fates]  # released once the stage's output is kept
    return step.apply_removals(rdd, step.removal)


def cluster_lines(fates, ids, n):
    """{"id","reason","kept_id","similarity"} per removed record, in input order: the fields of
    the one-machine --clusters that do not depend on how the input was split into partitions."""

    def line(kv):
        _survivor, ((g, reason, similarity, ident), kept_ident) = kv
        return g, (b'{"id":' + ident + b',"reason":"' + reason.encode() + b'","kept_id":' + kept_ident
                   + b',"similarity":' + similarity_text(similarity).encode() + b"}")

    named = fates.join(ids, n).map(lambda kv: (kv[1][0][0], (kv[0], kv[1][0][1], kv[1][0][2], kv[1][1])))
    return named.join(ids, n).map(line).sortByKey(numPartitions=n).values().collect()
