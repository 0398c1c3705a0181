#!/usr/bin/env bash
# Makes the Python environment that some tests and bridges use (.build/pyenv), from the pinned
# files in requirements/*.txt. It never touches the system Python. Prints the interpreter's path.
#   scripts/pyenv.sh            ->  .build/pyenv/bin/python (installed or already up to date)
set -euo pipefail
cd "$(dirname "$0")/.."
env_dir=.build/pyenv
shopt -s nullglob
files=(requirements/*.txt)
stamp="$env_dir/.requirements"
want=""
[ ${#files[@]} -gt 0 ] && want=$(cat "${files[@]}" | sort)
if [ ! -x "$env_dir/bin/python" ]; then
    mkdir -p .build
    python3 -m venv "$env_dir" >&2
fi
if [ ${#files[@]} -gt 0 ] && [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "installing Python packages from ${files[*]} into $env_dir" >&2
    args=()
    for f in "${files[@]}"; do args+=(-r "$f"); done
    "$env_dir/bin/python" -m pip install -q "${args[@]}" >&2
    printf '%s' "$want" >"$stamp"
fi
echo "$PWD/$env_dir/bin/python"
