"""A safe YAML reader that remembers where every value stands.

It is PyYAML's ``SafeLoader`` (no ``!!python/...`` tags) made stricter for hand-curated data:

- mappings come back as :class:`Node` dicts and sequences as :class:`Items` lists, each
  knowing the line of every key and item, so errors can name ``file:line``;
- none of the YAML 1.1 readings apply: a number is what its digits say in base 10
  (``0444550`` is 444550, not octal), and ``0x6C886``, ``7:24:35:50``, ``1_000`` or
  ``1,000.50`` are text, which a number field refuses with the fix;
- numbers remember how they were written, so a text field keeps ``identifier: 0123456``
  as ``"0123456"`` (see :func:`written`);
- no implicit dates (``2019-02-30`` stays a string for the records stage to judge);
- only ``true``/``false`` are booleans (``no``, ``yes``, ``on``, ``off`` are text);
- numbers with a fraction are :class:`decimal.Decimal`, never binary floats;
- duplicate keys, anchors/aliases, tags other than the plain types, and nesting deeper than
  :data:`MAX_DEPTH` are refused.
"""

from __future__ import annotations

import errno
import re
import stat
from decimal import Decimal
from pathlib import Path

import yaml

from ngograph.errors import DataError, Location
from ngograph.textclip import LONE_SURROGATE, joined_pairs

__all__ = ["Node", "Items", "Int", "Dec", "load_yaml", "written", "describe", "number_fix", "file_problem",
           "MAX_DEPTH"]

#: Deepest nesting of mappings and lists accepted; the curated data needs about five levels.
MAX_DEPTH = 64


class Node(dict):
    """A YAML mapping with the location of the mapping and of each of its keys."""

    loc: Location
    key_locs: dict

    def where(self, key) -> Location:
        """The location of ``key``'s line, or of the mapping when the key is absent."""
        return self.key_locs.get(key, self.loc)


class Items(list):
    """A YAML sequence with the location of each item."""

    loc: Location
    item_locs: list

    def where(self, index: int) -> Location:
        return self.item_locs[index] if index < len(self.item_locs) else self.loc


class Int(int):
    """A whole number read in base 10 that remembers the text it was written as.

    >>> n = Int("0123456")
    >>> n, n.text
    (123456, '0123456')
    """

    text: str

    def __new__(cls, text: str):
        number = super().__new__(cls, int(text, 10))
        number.text = text
        return number

    def __reduce__(self):  # copies and pickles keep the text
        return type(self), (self.text,)


class Dec(Decimal):
    """A decimal number that remembers the text it was written as (``1.50``)."""

    text: str

    def __new__(cls, text: str):
        number = super().__new__(cls, text)
        number.text = text
        return number

    def __reduce__(self):  # copies and pickles keep the text
        return type(self), (self.text,)


def written(value):
    """A scalar as text, exactly as it stands in the file; other values unchanged.

    >>> written(Int("0123456")), written(Dec("92.070")), written(True), written("no"), written(None)
    ('0123456', '92.070', 'true', 'no', None)
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (Int, Dec)):
        return value.text
    if isinstance(value, (int, Decimal)):
        return str(value)
    return value


def describe(value) -> str:
    """A value in users' words: its kind (text, number, list, mapping) and, for scalars, the value.

    >>> describe("abc"), describe(Int("012")), describe(Items()), describe(Node()), describe(None)
    ("text 'abc'", 'the number 012', 'a list', 'a mapping', 'nothing')
    """
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return written(value)
    if isinstance(value, (int, Decimal)):
        return f"the number {written(value)}"
    return f"text {value!r}"


_THOUSANDS = re.compile(r"[-+]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$")
_DECIMAL_COMMA = re.compile(r"[-+]?[0-9]+,[0-9]+$")
_WITH_COMMAS = re.compile(r"[-+]?[0-9]+(?:,[0-9]+)+(?:\.[0-9]+)?")


def number_fix(text: str) -> str:
    """How to write ``text`` as a number.

    >>> number_fix("1,000.50")
    'write 1000.50, not 1,000.50: numbers take no thousands separators and use a point before decimals'
    >>> number_fix("92,07")
    'write 92.07, not 92,07: numbers use a point before decimals'
    >>> number_fix("0x6C886")
    'write it in base-10 digits, with a point before any decimals (e.g. 1000.50)'
    """
    if _THOUSANDS.match(text):
        return (f"write {text.replace(',', '')}, not {text}: numbers take no thousands separators "
                "and use a point before decimals")
    if _DECIMAL_COMMA.match(text):
        return f"write {text.replace(',', '.')}, not {text}: numbers use a point before decimals"
    return "write it in base-10 digits, with a point before any decimals (e.g. 1000.50)"


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symbolic link loop"
    if exc.errno == errno.ENOENT:
        return "does not exist"
    if exc.errno == errno.EISDIR:
        return "is a folder, not a file"
    return f"cannot be read: {exc.strerror}"


def file_problem(path: Path) -> str | None:
    """Why ``path`` is not a readable regular file, in a few words, or ``None`` if it is one."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ENOENT and path.is_symlink():
            return "is a symbolic link to a file that does not exist"
        return _os_reason(exc)
    return "is a folder, not a file" if stat.S_ISDIR(mode) else None


_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|false)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_DEC = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)$")
_DEC_OR_INT = re.compile(r"^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)$")


class _Loader(yaml.SafeLoader):
    """SafeLoader with the implicit resolvers curated data needs, and nothing else."""

    def __init__(self, stream):
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases are not allowed in ngograph data", event.start_mark)
        if self.depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def _loc(self, node) -> Location:
        return Location(self.name, node.start_mark.line + 1)

    def _key_problem(self, node, index: int, key) -> str:
        # `{amount: 1,000.50}` reads as amount 1 and a key 000.50: say what to write instead
        if node.flow_style and index > 0 and isinstance(key, (int, Decimal)):
            before = node.value[index - 1][1]
            if m := _WITH_COMMAS.match(self.buffer, before.start_mark.index):
                return f"{number_fix(m.group())} (inside {{ }} a comma separates fields)"
        return f"keys must be text, found {describe(key)}"

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping, found {node.id}", node.start_mark)
        result = Node()
        result.loc = self._loc(node)
        result.key_locs = {}
        for index, (key_node, value_node) in enumerate(node.value):
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark,
                    self._key_problem(node, index, key), key_node.start_mark)
            if key in result:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark,
                    f"duplicate key {key!r}", key_node.start_mark)
            result[key] = self.construct_object(value_node, deep=True)
            result.key_locs[key] = self._loc(key_node)
        return result

    def construct_yaml_map(self, node):
        yield self.construct_mapping(node, deep=True)

    def construct_yaml_seq(self, node):
        result = Items(self.construct_object(child, deep=True) for child in node.value)
        result.loc = self._loc(node)
        result.item_locs = [self._loc(child) for child in node.value]
        yield result

    def _number(self, node, pattern, make):
        text = self.construct_scalar(node)
        if not pattern.match(text):
            raise yaml.constructor.ConstructorError(
                None, None, f"{text!r} is not a number: {number_fix(text)}", node.start_mark)
        return make(text)

    def construct_yaml_int(self, node):
        return self._number(node, _INT, Int)

    def construct_yaml_float(self, node):
        return self._number(node, _DEC_OR_INT, Dec)

    def construct_yaml_str(self, node):
        text = self.construct_scalar(node)
        if LONE_SURROGATE.search(text) is None:
            return text
        text = joined_pairs(text)  # "\\ud83d\\ude00", which PyYAML leaves as two halves: one character
        if (m := LONE_SURROGATE.search(text)) is not None:  # "\\ud800": no character, and no RDF literal holds it
            raise yaml.constructor.ConstructorError(
                None, None, f"the text holds \\u{ord(m.group()):04x}, half of a UTF-16 surrogate pair and not a "
                "character: write the character itself (or both halves of its pair)", node.start_mark)
        return text

    def construct_yaml_bool(self, node):
        text = self.construct_scalar(node)
        if not _BOOL.match(text):
            raise yaml.constructor.ConstructorError(
                None, None, f"{text!r} is not true or false", node.start_mark)
        return text == "true"


# Only the plain types, read as YAML 1.2 reads them; no timestamps, merge keys, sets, binaries.
_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver("tag:yaml.org,2002:null", _NULL, ["~", "n", "N", ""])
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tf"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:float", _DEC, list("-+0123456789."))
_Loader.yaml_constructors = {
    None: yaml.SafeLoader.construct_undefined,
    "tag:yaml.org,2002:null": yaml.SafeLoader.construct_yaml_null,
    "tag:yaml.org,2002:str": _Loader.construct_yaml_str,
    "tag:yaml.org,2002:bool": _Loader.construct_yaml_bool,
    "tag:yaml.org,2002:int": _Loader.construct_yaml_int,
    "tag:yaml.org,2002:float": _Loader.construct_yaml_float,
    "tag:yaml.org,2002:map": _Loader.construct_yaml_map,
    "tag:yaml.org,2002:seq": _Loader.construct_yaml_seq,
}


def load_yaml(path: Path, display: str | None = None):
    """Read one YAML file; raise :class:`DataError` naming ``file:line`` on any problem.

    ``display`` is the name errors use for the file (default: the path as given).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.yaml"
    >>> _ = p.write_text("name: {no: Velferdsalliansen}\\nstart: 2019-02-30\\nshare: 92.07\\nid: 0123\\n")
    >>> doc = load_yaml(p, "x.yaml")
    >>> doc["name"], doc["start"], doc["share"], doc["id"], written(doc["id"]), str(doc.where("share"))
    ({'no': 'Velferdsalliansen'}, '2019-02-30', Decimal('92.07'), 123, '0123', 'x.yaml:3')
    """
    name = display or str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise DataError([(Location(name, 1), f"the file {_os_reason(exc)}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DataError([(Location(name, line), f"not UTF-8 text (byte 0x{raw[exc.start]:02x}): save the file "
                                                 "as UTF-8")]) from None
    loader = None
    try:
        loader = _Loader(text)  # reading starts here: a control character fails already
        loader.name = name
        return loader.get_single_data()
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise DataError([(Location(name, line), f"invalid YAML: character U+{exc.character:04X} is not allowed "
                                                 "(a control character)")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or str(exc)
        if "could not determine a constructor" in problem:
            problem = f"YAML tag refused (only plain YAML is accepted): {problem}"
        raise DataError([(Location(name, line), f"invalid YAML: {problem}")]) from None
    except yaml.YAMLError as exc:
        raise DataError([(Location(name, 1), f"invalid YAML: {' '.join(str(exc).split())}")]) from None
    except RecursionError:
        raise DataError([(Location(name, 1), f"invalid YAML: nested more than {MAX_DEPTH} levels deep")]) from None
    finally:
        if loader is not None:
            loader.dispose()
