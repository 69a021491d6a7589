#!/usr/bin/env python3
"""Finds import cycles between the files of a Rust crate.

A file A depends on a file B when A names an item of B through a path (`use crate::b::X`,
`super::X`, `b::X` for a child module `b`, in `use` trees and in code). Re-exports are followed
to the file that defines the item, so `crate::Model` counts as a use of `model.rs`, not
`lib.rs`. A module's own `mod` declarations are not uses. Prints every cycle (each strongly
connected component with more than one file) and exits 1 if there is one.

Usage: scripts/import_cycles.py crates/engine/src crates/cli/src
"""
import os
import re
import sys


def strip(src):
    """Removes comments, string and char literals (keeping line structure)."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if src.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif src.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    if src[i] == "\n":
                        out.append("\n")
                    i += 1
        elif c == "r" and re.match(r'r#*"', src[i:i + 10]) and (i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")):
            m = re.match(r'r(#*)"', src[i:])
            end = '"' + m.group(1)
            j = src.find(end, i + len(m.group(0)))
            j = n if j < 0 else j + len(end)
            out.append('""' + "\n" * src.count("\n", i, j))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            out.append('""' + "\n" * src.count("\n", i, j))
            i = j + 1
        elif c == "'" and re.match(r"'(\\.|[^\\'])'|'\\u\{[0-9a-fA-F]+\}'", src[i:i + 12]):
            m = re.match(r"'(\\.|[^\\'])'|'\\u\{[0-9a-fA-F]+\}'", src[i:])
            out.append("' '")
            i += len(m.group(0))
        else:
            out.append(c)
            i += 1
    return "".join(out)


def expand_use(tree):
    """Expands a use tree `a::{b, c::{d as e}}` into paths (aliases dropped)."""
    tree = re.sub(r"\s+as\s+\w+", "", tree)
    tree = re.sub(r"\s+", "", tree)
    res = []

    def go(prefix, t):
        parts, depth, cur = [], 0, ""
        for ch in t:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            if ch == "," and depth == 0:
                parts.append(cur)
                cur = ""
            else:
                cur += ch
        if cur:
            parts.append(cur)
        for p in parts:
            if "{" in p:
                head, rest = p.split("{", 1)
                go(prefix + [s for s in head.split("::") if s], rest[:-1])
            else:
                res.append((prefix + [s for s in p.split("::") if s], None))

    go([], tree)
    return res


class Crate:
    def __init__(self, root):
        self.root = root
        self.files = {}  # module path tuple -> file
        self.src = {}
        entry = "lib.rs" if os.path.exists(os.path.join(root, "lib.rs")) else "main.rs"
        self.load((), os.path.join(root, entry), root)

    def load(self, mod, path, dir_):
        self.files[mod] = path
        text = strip(open(path).read())
        self.src[mod] = text
        for m in re.finditer(r"(?m)^\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;", text):
            name = m.group(1)
            attr = re.search(r'#\[path\s*=\s*""\]', text[max(0, m.start() - 80):m.start()])
            cands = [os.path.join(dir_, name + ".rs"), os.path.join(dir_, name, "mod.rs")]
            f = next((c for c in cands if os.path.exists(c)), None)
            if f is None:
                continue
            sub = os.path.join(dir_, name)
            self.load(mod + (name,), f, sub)

    def file_of(self, mod):
        """The file that holds module `mod` (inline modules belong to their file)."""
        while mod not in self.files:
            mod = mod[:-1]
        return self.files[mod]


def inline_modules(text):
    """Yields (start, end, name) of inline `mod name { ... }` blocks, nested."""
    res = []
    for m in re.finditer(r"\bmod\s+(\w+)\s*\{", text):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        res.append((m.start(), i, m.group(1)))
    return res


def module_at(crate, mod, text, pos):
    path = list(mod)
    for s, e, name in inline_modules(text):
        if s <= pos < e:
            path.append(name)
    return tuple(path)


def analyse(root):
    crate = Crate(root)
    mods = set(crate.files)
    # Re-exports: (module, name) -> absolute path.
    reexports = {}
    for mod, text in crate.src.items():
        for m in re.finditer(r"\bpub(?:\([^)]*\))?\s+use\s+([^;]+);", text):
            for path, _ in expand_use(m.group(1)):
                ab = absolute(mods, mod, path)
                if ab:
                    reexports[(mod, path[-1])] = ab

    def resolve(ab, seen=0):
        """The file module an absolute path names an item of."""
        # Longest prefix that is a known module.
        for k in range(len(ab), -1, -1):
            if tuple(ab[:k]) in mods or k == 0:
                m = tuple(ab[:k])
                break
        if k < len(ab) and (m, ab[k]) in reexports and seen < 10:
            return resolve(reexports[(m, ab[k])] + ab[k + 1:], seen + 1)
        return m

    edges = {crate.files[m]: set() for m in mods}
    for mod, text in crate.src.items():
        me = crate.files[mod]
        uses = []
        for m in re.finditer(r"\buse\s+([^;]+);", text):
            cur = module_at(crate, mod, text, m.start())
            for path, _ in expand_use(m.group(1)):
                uses.append((cur, path))
        for m in re.finditer(r"(?<![\w:])((?:crate|super|self|[a-z_][a-z0-9_]*)(?:::[A-Za-z_]\w*)+)", text):
            cur = module_at(crate, mod, text, m.start())
            uses.append((cur, m.group(1).split("::")))
        for cur, path in uses:
            ab = absolute(mods, cur, path)
            if ab is None:
                continue
            target = crate.file_of(resolve(ab))
            if target != me:
                edges[me].add(target)
    return edges


def absolute(mods, cur, path):
    """The absolute module path of `path` used in module `cur`, or None if external."""
    if not path:
        return None
    head = path[0]
    if head == "crate":
        return list(path[1:])
    if head == "self":
        return list(cur) + list(path[1:])
    if head == "super":
        base = list(cur)
        while path and path[0] == "super":
            base = base[:-1]
            path = path[1:]
        return base + list(path)
    # A child module of the current one.
    if tuple(cur) + (head,) in mods:
        return list(cur) + list(path)
    return None


def sccs(edges):
    index, low, stack, on, res, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            res.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return [c for c in res if len(c) > 1]


def main():
    found = False
    for root in sys.argv[1:]:
        edges = analyse(root)
        for comp in sccs(edges):
            found = True
            print(f"cycle in {root}:")
            for f in comp:
                inside = sorted(os.path.relpath(t, root) for t in edges[f] if t in comp)
                print(f"  {os.path.relpath(f, root)} -> {', '.join(inside)}")
        n = sum(len(v) for v in edges.values())
        print(f"{root}: {len(edges)} files, {n} file dependencies")
    if found:
        sys.exit(1)
    print("no import cycles")


if __name__ == "__main__":
    main()
