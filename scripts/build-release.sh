#!/usr/bin/env bash
# Builds the release binaries that `make install` and scripts/release.sh ship, and prints the
# folder they are in. They run without a Swift toolchain: the Swift standard library is linked
# statically (--static-swift-stdlib), and so are the C libraries whose static archive Debian's
# -dev package ships (zlib, zstd, PCRE2, xxHash, and liblzma / libbz2 where the tools use them).
# The tools import no Foundation, so no ICU data or libFoundation comes along. What stays dynamic
# is glibc (libc, libm) and libstdc++/libgcc_s, which every Debian and Ubuntu system has.
# Its own build folder (.build/static): the lint's plain release build and this one then do not
# rebuild each other, and a test can run this while `swift test` holds .build.
#   scripts/build-release.sh [--product NAME]    (scripts/man-pages.sh builds generate-manual so)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# A folder with only the static archives, searched before the system's: for each -lNAME the
# linker takes the first folder that has libNAME.so or libNAME.a, so these win over the .so files.
static=.build/static-libs
mkdir -p "$static"
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
for lib in z zstd pcre2-8 xxhash lzma bz2; do
    for dir in "/usr/lib/$multiarch" /usr/lib /usr/local/lib; do
        if [ -f "$dir/lib$lib.a" ]; then
            ln -sfn "$dir/lib$lib.a" "$static/lib$lib.a"
            break
        fi
    done
done
flags=(-c release --scratch-path .build/static --static-swift-stdlib -Xswiftc -L -Xswiftc "$PWD/$static")
swift build "${flags[@]}" "$@" >&2
swift build "${flags[@]}" --show-bin-path
