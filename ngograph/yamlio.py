"""A safe YAML reader that remembers where every value stands.

It is PyYAML's ``SafeLoader`` (no ``!!python/...`` tags) made stricter for hand-curated data:

- mappings come back as :class:`Node` dicts and sequences as :class:`Items` lists, each
  knowing the line of every key and item, so errors can name ``file:line``;
- no implicit dates (``2019-02-30`` stays a string for the records stage to judge);
- only ``true``/``false`` are booleans (``no`` is Norwegian, not ``False``);
- numbers with a fraction are :class:`decimal.Decimal`, never binary floats;
- duplicate keys and anchors/aliases are refused.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import yaml

from ngograph.errors import DataError, Location

__all__ = ["Node", "Items", "load_yaml"]


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


_BOOL = re.compile(r"^(?:true|false)$")


class _Loader(yaml.SafeLoader):
    """SafeLoader with the implicit resolvers curated data needs, and nothing else."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases are not allowed in ngograph data", event.start_mark)
        return super().compose_node(parent, index)

    def _loc(self, node) -> Location:
        return Location(self.name, node.start_mark.line + 1)

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping, found {node.id}", node.start_mark)
        result = Node()
        result.loc = self._loc(node)
        result.key_locs = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark,
                    f"keys must be text, found {key!r}", key_node.start_mark)
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

    def construct_yaml_float(self, node):
        text = self.construct_scalar(node).replace("_", "")
        try:
            return Decimal(text)
        except ArithmeticError:
            raise yaml.constructor.ConstructorError(
                None, None, f"not a decimal number: {text!r}", node.start_mark) from None


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tf"))
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_yaml_seq)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", None)


def load_yaml(path: Path, display: str | None = None):
    """Read one YAML file; raise :class:`DataError` naming ``file:line`` on any problem.

    ``display`` is the name errors use for the file (default: the path as given).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.yaml"
    >>> _ = p.write_text("name: {no: Velferdsalliansen}\\nstart: 2019-02-30\\nshare: 92.07\\n")
    >>> doc = load_yaml(p, "x.yaml")
    >>> doc["name"], doc["start"], doc["share"], str(doc.where("share"))
    ({'no': 'Velferdsalliansen'}, '2019-02-30', Decimal('92.07'), 'x.yaml:3')
    """
    name = display or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError([(Location(name, 1), f"cannot read the file: {exc}")]) from None
    loader = _Loader(text)
    loader.name = name
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or str(exc)
        if "could not determine a constructor" in problem:
            problem = f"YAML tag refused (only plain YAML is accepted): {problem}"
        raise DataError([(Location(name, line), f"invalid YAML: {problem}")]) from None
    except yaml.YAMLError as exc:
        raise DataError([(Location(name, 1), f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
