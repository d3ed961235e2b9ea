"""A small evaluator of Terraform expressions, as python-hcl2 hands them back: strings in which
`${...}` parts are expressions (`"${local.name}-alb"`, `"${var.environment == \\"production\\"}"`).

It knows what the stacks use to build names and to validate variables: string templates,
references, indexing, the conditional and logical operators, comparisons, lists and a handful of
functions. Anything else raises `UnsupportedError`, so a test that meets new syntax fails and says
what to add, instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

# Looks a reference up: ["var", "app_name"], ["local", "name"], ["each", "key"], ...
Resolver = Callable[[Sequence[str]], Any]
Node = Callable[[Resolver], Any]


class UnsupportedError(Exception):
    """Syntax, a function or a reference this evaluator does not know."""


class EvalError(Exception):
    """An error Terraform reports while evaluating (a regex that does not match); can() hides it."""


def evaluate(text: str, resolve: Resolver) -> Any:
    """The value of an attribute: a template string, or one whole `${...}` expression's value."""
    return _Parser(text).template_body()(resolve)


def _substr(value: str, offset: int, length: int) -> str:
    start = offset if offset >= 0 else max(len(value) + offset, 0)
    return value[start:] if length < 0 else value[start : start + length]


def _regex(pattern: str, value: str) -> Any:
    # Terraform's RE2 syntax and Python's agree on the patterns the stacks use.
    match = re.search(pattern, value)
    if match is None:
        raise EvalError(f"{pattern!r} does not match {value!r}")
    return match.group(0) if not match.groups() else list(match.groups())


def _toset(values: list[Any]) -> list[Any]:
    return sorted(set(values))


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "substr": _substr,
    "trimsuffix": lambda value, suffix: value.removesuffix(suffix),
    "trimprefix": lambda value, prefix: value.removeprefix(prefix),
    "lower": str.lower,
    "upper": str.upper,
    "length": len,
    "regex": _regex,
    "strcontains": lambda value, part: part in value,
    "contains": lambda values, value: value in values,
    "toset": _toset,
    "slice": lambda values, start, end: values[start:end],
    "alltrue": all,
}

_KEYWORDS: dict[str, Any] = {"true": True, "false": False, "null": None}
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}


def _constant(value: Any) -> Node:
    return lambda _resolve: value


def _interpolate(parts: list[Node]) -> Node:
    def node(resolve: Resolver) -> Any:
        values = [part(resolve) for part in parts]
        for value in values:
            if not isinstance(value, str | int | float | bool):
                raise UnsupportedError(f"interpolating {value!r} into a string")
        return "".join(
            str(value).lower() if isinstance(value, bool) else str(value) for value in values
        )

    return node


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    # -- templates ------------------------------------------------------------------------------

    def template_body(self) -> Node:
        node = self.template(closing=None)
        if self.pos != len(self.text):
            raise UnsupportedError(f"unexpected {self.text[self.pos :]!r} in {self.text!r}")
        return node

    def template(self, closing: str | None) -> Node:
        """Literal text and `${...}` parts, up to `closing` (a quote) or the end of the text."""
        parts: list[Node] = []
        literal: list[str] = []
        expressions = 0
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if closing is not None and char == closing:
                break
            if self.text.startswith("$${", self.pos) or self.text.startswith("%%{", self.pos):
                literal.append(self.text[self.pos + 1 : self.pos + 3])
                self.pos += 3
            elif self.text.startswith("%{", self.pos):
                raise UnsupportedError(f"template directive in {self.text!r}")
            elif self.text.startswith("${", self.pos):
                if literal:
                    parts.append(_constant("".join(literal)))
                    literal = []
                self.pos += 2
                parts.append(self.expression())
                self.expect("}")
                expressions += 1
            elif char == "\\" and closing is not None and self.pos + 1 < len(self.text):
                # python-hcl2 unescapes the outermost string, not the strings inside `${...}`.
                escaped = self.text[self.pos + 1]
                if escaped not in _ESCAPES:
                    raise UnsupportedError(f"escape \\{escaped} in {self.text!r}")
                literal.append(_ESCAPES[escaped])
                self.pos += 2
            else:
                literal.append(char)
                self.pos += 1
        if literal:
            parts.append(_constant("".join(literal)))
        # A template that is one interpolation and nothing else keeps its value's type.
        if len(parts) == 1 and expressions == 1:
            return parts[0]
        return _interpolate(parts) if parts else _constant("")

    # -- expressions ----------------------------------------------------------------------------

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self, token: str) -> bool:
        self.skip_space()
        return self.text.startswith(token, self.pos)

    def accept(self, token: str) -> bool:
        if self.peek(token):
            self.pos += len(token)
            return True
        return False

    def expect(self, token: str) -> None:
        if not self.accept(token):
            raise UnsupportedError(
                f"expected {token!r} at {self.text[self.pos :]!r} in {self.text!r}"
            )

    def expression(self) -> Node:
        condition = self.binary(0)
        if not self.accept("?"):
            return condition
        if_true = self.expression()
        self.expect(":")
        if_false = self.expression()
        return lambda resolve: if_true(resolve) if condition(resolve) else if_false(resolve)

    # Lowest precedence first; each level's operators, longest spelling first.
    _LEVELS: ClassVar[tuple[tuple[str, ...], ...]] = (
        ("||",),
        ("&&",),
        ("==", "!="),
        ("<=", ">=", "<", ">"),
        ("+", "-"),
        ("*", "/", "%"),
    )
    _OPERATORS: ClassVar[dict[str, Callable[[Any, Any], Any]]] = {
        "||": lambda a, b: a or b,
        "&&": lambda a, b: a and b,
        "==": lambda a, b: a == b,
        "!=": lambda a, b: a != b,
        "<=": lambda a, b: a <= b,
        ">=": lambda a, b: a >= b,
        "<": lambda a, b: a < b,
        ">": lambda a, b: a > b,
        "+": lambda a, b: a + b,
        "-": lambda a, b: a - b,
        "*": lambda a, b: a * b,
        "/": lambda a, b: a / b,
        "%": lambda a, b: a % b,
    }

    def binary(self, level: int) -> Node:
        if level == len(self._LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while True:
            operator = next((op for op in self._LEVELS[level] if self.peek(op)), None)
            if operator is None:
                return left
            self.pos += len(operator)
            right = self.binary(level + 1)
            function = self._OPERATORS[operator]
            left = (lambda f, a, b: lambda resolve: f(a(resolve), b(resolve)))(
                function, left, right
            )

    def unary(self) -> Node:
        if self.accept("!"):
            operand = self.unary()
            return lambda resolve: not operand(resolve)
        return self.postfix(self.primary())

    def postfix(self, node: Node) -> Node:
        while True:
            if self.accept("["):
                index = self.expression()
                self.expect("]")
                node = (lambda n, i: lambda resolve: n(resolve)[i(resolve)])(node, index)
            elif self.peek(".") and not self.peek(".."):
                self.pos += 1
                name = self.identifier()
                node = (lambda n, k: lambda resolve: n(resolve)[k])(node, name)
            else:
                return node

    def identifier(self) -> str:
        self.skip_space()
        match = _IDENTIFIER.match(self.text, self.pos)
        if match is None:
            raise UnsupportedError(f"expected a name at {self.text[self.pos :]!r} in {self.text!r}")
        self.pos = match.end()
        return match.group(0)

    def primary(self) -> Node:
        self.skip_space()
        if self.accept("("):
            inner = self.expression()
            self.expect(")")
            return inner
        if self.accept('"'):
            string = self.template(closing='"')
            self.expect('"')
            return string
        if self.accept("["):
            items: list[Node] = []
            while not self.accept("]"):
                items.append(self.expression())
                if not self.accept(","):
                    self.expect("]")
                    break
            return lambda resolve: [item(resolve) for item in items]
        number = _NUMBER.match(self.text, self.pos)
        if number:
            self.pos = number.end()
            text = number.group(0)
            return _constant(float(text) if "." in text else int(text))
        name = self.identifier()
        if name in _KEYWORDS:
            return _constant(_KEYWORDS[name])
        if self.accept("("):
            return self.call(name)
        return self.reference(name)

    def call(self, name: str) -> Node:
        arguments: list[Node] = []
        while not self.accept(")"):
            arguments.append(self.expression())
            if not self.accept(","):
                self.expect(")")
                break
        if name == "can":
            (argument,) = arguments
            return _can(argument)
        if name not in FUNCTIONS:
            raise UnsupportedError(f"function {name}() in {self.text!r}")
        function = FUNCTIONS[name]
        return lambda resolve: function(*(argument(resolve) for argument in arguments))

    def reference(self, root: str) -> Node:
        """`var.app_name`, `data.aws_availability_zones.available.names`: the dotted names up to
        the first index go to the resolver as one path."""
        path = [root]
        while self.peek(".") and _IDENTIFIER.match(self.text, self.pos + 1):
            self.pos += 1
            path.append(self.identifier())
        return lambda resolve: resolve(path)


def _can(argument: Node) -> Node:
    def node(resolve: Resolver) -> bool:
        try:
            argument(resolve)
        except EvalError:
            return False
        return True

    return node
