"""SHACL shapes evaluated as SPARQL: each node shape becomes one SELECT run on Oxigraph (pySHACL is the reference).

The translation is generic over the shapes graph: targets (``targetClass`` with subclasses,
``targetSubjectsOf``, ``targetObjectsOf``, ``targetNode``), property paths, and the constraint components
``minCount``, ``maxCount``, ``datatype`` (well-formed lexical forms), ``class``, ``nodeKind``, ``pattern``,
``in``, ``hasValue``, ``languageIn``, ``uniqueLang``, ``minLength``, ``maxLength``, ``node``, ``or``, ``and``,
``not`` and ``qualifiedValueShape`` with ``qualifiedMinCount`` / ``qualifiedMaxCount``. A shape using
anything else raises :class:`Unsupported` rather than being skipped.

>>> import rdflib
>>> g = rdflib.Graph().parse(data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
... <urn:S> a sh:NodeShape ; sh:targetClass <urn:C> ;
...     sh:property [ sh:path <urn:p> ; sh:minCount 1 ; sh:message "needs urn:p" ] .''', format="turtle")
>>> import pyoxigraph as ox
>>> s = ox.Store()
>>> s.load(b"<urn:a> a <urn:C> . <urn:b> a <urn:C> ; <urn:p> 1 .", format=ox.RdfFormat.TURTLE,
...        to_graph=ox.NamedNode("urn:g"))
>>> [(r.focus, r.path, r.message) for r in shape_violations(s, g)]
[('urn:a', 'urn:p', 'needs urn:p')]
"""

from dataclasses import dataclass
from itertools import combinations

import pyoxigraph as ox

__all__ = ["Unsupported", "ShapeResult", "ShapeQuery", "compile_shapes", "class_closure", "shape_violations",
           "SCOPE_PREDICATE"]

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_CLASS = "http://www.w3.org/2000/01/rdf-schema#Class"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
XSD = "http://www.w3.org/2001/XMLSchema#"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
#: Marks a node to validate in a scope graph: ``GRAPH scope { node SCOPE_PREDICATE ?any }``.
SCOPE_PREDICATE = "https://w3id.org/convergence-graph/ontology#validationScope"

#: XSD datatypes whose lexical form Oxigraph checks when casting (an ill-formed literal does not conform).
_CASTABLE = {XSD + t for t in ("boolean", "integer", "decimal", "double", "float", "date", "dateTime", "time",
                               "gYear", "gYearMonth", "duration", "dayTimeDuration", "yearMonthDuration")}
_NODE_KINDS = {"IRI": "isIRI({v})", "Literal": "isLiteral({v})", "BlankNode": "isBlank({v})",
               "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))", "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
               "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))"}
#: Parameters that belong to a component handled with another one (or that only describe a shape).
_PASSIVE = {"path", "message", "name", "description", "severity", "order", "group", "defaultValue", "deactivated",
            "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "property", "qualifiedMinCount",
            "qualifiedMaxCount", "qualifiedValueShapesDisjoint", "flags"}


class Unsupported(ValueError):
    """The shapes use a SHACL feature this translation does not implement."""


@dataclass(frozen=True)
class ShapeResult:
    """One violation: the focus node, the path (an IRI, or None), the shape's message and the value at fault."""

    focus: str
    path: str | None
    message: str
    component: str
    value: str | None = None


@dataclass(frozen=True)
class ShapeQuery:
    """One node shape's query (``?focus ?k ?value``) and, for each ``?k``, its path, component and message."""

    shape: str
    sparql: str
    branches: tuple


def _iri(node) -> str:
    return f"<{node}>"


class _Compiler:
    """Writes SPARQL for shapes held in an rdflib Graph; ``classes`` maps a class to itself and its subclasses."""

    def __init__(self, shapes, classes: dict):
        import rdflib

        self.g, self.classes, self.n = shapes, classes, 0
        self.rdflib = rdflib
        self.SH = rdflib.Namespace(SH)

    # ------------------------------------------------------------------ helpers

    def var(self, stem: str) -> str:
        self.n += 1
        return f"?{stem}{self.n}"

    def value(self, shape, name):
        return self.g.value(shape, self.SH[name])

    def values(self, shape, name) -> list:
        return sorted(self.g.objects(shape, self.SH[name]), key=str)

    def items(self, lst) -> list:
        return list(self.rdflib.collection.Collection(self.g, lst))

    def term(self, node) -> str:
        if isinstance(node, self.rdflib.URIRef):
            return _iri(node)
        if isinstance(node, self.rdflib.Literal):
            return node.n3()
        raise Unsupported(f"a blank node as a constant ({node})")

    def string(self, text: str) -> str:
        return self.rdflib.Literal(str(text)).n3()

    def message(self, shape) -> str | None:
        msgs = list(self.g.objects(shape, self.SH.message))
        english = [m for m in msgs if getattr(m, "language", None) in (None, "en")]
        return str((english or msgs)[0]) if msgs else None

    def path(self, node) -> str:
        """Return a SPARQL property path for a SHACL path."""
        if isinstance(node, self.rdflib.URIRef):
            return _iri(node)
        if (node, self.rdflib.RDF.first, None) in self.g:
            return "(" + "/".join(self.path(p) for p in self.items(node)) + ")"
        for name, fmt in (("inversePath", "^{}"), ("zeroOrMorePath", "{}*"), ("oneOrMorePath", "{}+"),
                          ("zeroOrOnePath", "{}?")):
            inner = self.value(node, name)
            if inner is not None:
                return "(" + fmt.format(self.path(inner)) + ")"
        alt = self.value(node, "alternativePath")
        if alt is not None:
            return "(" + "|".join(self.path(p) for p in self.items(alt)) + ")"
        raise Unsupported(f"the path {node}")

    def instance(self, v: str, cls) -> str:
        """A pattern true when ``v`` is an instance of ``cls`` (rdf:type, then rdfs:subClassOf*)."""
        t = self.var("t")
        within = ", ".join(_iri(c) for c in sorted(self.classes.get(str(cls), {str(cls)})))
        return f"{v} <{RDF_TYPE}> {t} . FILTER({t} IN ({within}))"

    # ------------------------------------------------------------------ constraints on one value node

    def value_expr(self, name: str, param, v: str) -> str | None:
        """The SPARQL expression true when value ``v`` meets a value-type constraint, or None if not one."""
        if name == "class":
            return f"EXISTS {{ {self.instance(v, param)} }}"
        if name == "datatype":
            dt = str(param)
            if dt == LANG_STRING:
                return f'(isLiteral({v}) && LANG({v}) != "")'
            expr = f"(isLiteral({v}) && DATATYPE({v}) = <{dt}>"
            if dt in _CASTABLE:
                expr += f' && DATATYPE(COALESCE(<{dt}>(STR({v})), "")) = <{dt}>'
            return expr + ")"
        if name == "nodeKind":
            kind = str(param)[len(SH):]
            if kind not in _NODE_KINDS:
                raise Unsupported(f"sh:nodeKind {param}")
            return _NODE_KINDS[kind].format(v=v)
        if name == "pattern":
            return None  # handled with its flags in constraint_exprs
        if name == "in":
            return "(" + " || ".join(f"sameTerm({v}, {self.term(x)})" for x in self.items(param)) + ")" \
                if self.items(param) else "false"
        if name == "languageIn":
            tags = self.items(param)
            return f"(isLiteral({v}) && (" + " || ".join(f"LANGMATCHES(LANG({v}), {self.string(t)})"
                                                         for t in tags) + "))" if tags else "false"
        if name == "minLength":
            return f"(!isBlank({v}) && STRLEN(STR({v})) >= {int(param)})"
        if name == "maxLength":
            return f"(!isBlank({v}) && STRLEN(STR({v})) <= {int(param)})"
        if name in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
            op = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}[name]
            return f"COALESCE({v} {op} {self.term(param)}, false)"
        if name == "node":
            return self.conforms(param, v)
        if name == "or":
            return "(" + " || ".join(self.conforms(s, v) for s in self.items(param)) + ")"
        if name == "and":
            return "(" + " && ".join(self.conforms(s, v) for s in self.items(param)) + ")"
        if name == "not":
            return f"(!{self.conforms(param, v)})"
        return None

    def constraint_exprs(self, shape, v: str) -> list:
        """Return ``(component, expression)`` for each value-type constraint of the shape, on value ``v``."""
        out = []
        for name in self.parameters(shape):
            for param in self.values(shape, name):
                if name == "pattern":
                    flags = self.value(shape, "flags")
                    extra = f", {self.string(flags)}" if flags is not None else ""
                    out.append((name, f"(!isBlank({v}) && REGEX(STR({v}), {self.string(param)}{extra}))"))
                    continue
                expr = self.value_expr(name, param, v)
                if expr is not None:
                    out.append((name, expr))
        return out

    def parameters(self, shape) -> list:
        """Return the names of the SHACL parameters a shape uses, refusing the ones not translated."""
        names = sorted({str(p)[len(SH):] for p in self.g.predicates(shape, None) if str(p).startswith(SH)})
        known = _PASSIVE | {"class", "datatype", "nodeKind", "pattern", "in", "languageIn", "minLength", "maxLength",
                            "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "node", "or", "and",
                            "not", "minCount", "maxCount", "hasValue", "uniqueLang", "qualifiedValueShape"}
        for name in names:
            if name not in known:
                raise Unsupported(f"sh:{name} (in shape {shape})")
        if self.value(shape, "qualifiedValueShapesDisjoint") not in (None, self.rdflib.Literal(False)):
            raise Unsupported(f"sh:qualifiedValueShapesDisjoint (in shape {shape})")
        return names

    # ------------------------------------------------------------------ violations of a shape at a focus node

    def violations(self, shape, focus: str, message: str | None = None) -> list:
        """Return ``(pattern, value_var, path, component, message)`` for every way ``focus`` can violate the shape.

        Each pattern binds nothing new outside itself but ``value_var`` (or nothing when None).
        """
        if self.value(shape, "deactivated") == self.rdflib.Literal(True):
            return []
        message = self.message(shape) or message
        path = self.value(shape, "path")
        out = []
        if path is None:  # a node shape: the focus is the value node
            for comp, expr in self.constraint_exprs(shape, focus):
                out.append((f"FILTER(!{expr})", None, None, comp, message))
            for hv in self.values(shape, "hasValue"):
                out.append((f"FILTER(!sameTerm({focus}, {self.term(hv)}))", None, None, "hasValue", message))
            for prop in self.values(shape, "property"):
                out += self.violations(prop, focus, None)
            return out
        p, where = self.path(path), str(path) if isinstance(path, self.rdflib.URIRef) else None
        v = self.var("v")
        for comp, expr in self.constraint_exprs(shape, v):
            out.append((f"{focus} {p} {v} . FILTER(!{expr})", v, where, comp, message))
        for hv in self.values(shape, "hasValue"):
            out.append((f"FILTER NOT EXISTS {{ {focus} {p} {self.term(hv)} }}", None, where, "hasValue", message))
        for n in self.values(shape, "minCount"):
            if int(n) > 0:
                out.append((f"FILTER NOT EXISTS {{ {self.distinct_values(focus, p, int(n))} }}", None, where,
                            "minCount", message))
        for n in self.values(shape, "maxCount"):
            out.append((self.distinct_values(focus, p, int(n) + 1), None, where, "maxCount", message))
        if self.value(shape, "uniqueLang") == self.rdflib.Literal(True):
            a, b = self.var("a"), self.var("b")
            out.append((f'{focus} {p} {a} , {b} . FILTER(!sameTerm({a}, {b}) && LANG({a}) != "" && '
                        f"LCASE(LANG({a})) = LCASE(LANG({b})))", None, where, "uniqueLang", message))
        for q in self.values(shape, "qualifiedValueShape"):
            low, high = self.value(shape, "qualifiedMinCount"), self.value(shape, "qualifiedMaxCount")
            if low is not None and int(low) > 0:
                out.append((f"FILTER NOT EXISTS {{ {self.distinct_values(focus, p, int(low), q)} }}", None, where,
                            "qualifiedMinCount", message))
            if high is not None:
                out.append((self.distinct_values(focus, p, int(high) + 1, q), None, where, "qualifiedMaxCount",
                            message))
        if self.values(shape, "property"):
            raise Unsupported(f"sh:property inside the property shape {shape}")
        return out

    def distinct_values(self, focus: str, p: str, n: int, conforming=None) -> str:
        """A pattern matching when ``focus`` has at least ``n`` distinct values (conforming to a shape, if given)."""
        if n > 4:
            raise Unsupported(f"a count above 4 ({n})")
        vs = [self.var("c") for _ in range(n)]
        pattern = " ".join(f"{focus} {p} {x} ." for x in vs)
        tests = [f"!sameTerm({a}, {b})" for a, b in combinations(vs, 2)]
        if conforming is not None:
            tests += [self.conforms(conforming, x) for x in vs]
        return pattern + (f" FILTER({' && '.join(tests)})" if tests else "")

    def conforms(self, shape, v: str) -> str:
        """An expression true when node ``v`` conforms to the shape."""
        parts = []
        for pattern, _, _, _, _ in self.violations(shape, v):
            if pattern.startswith("FILTER(!") and pattern.endswith(")") and " . " not in pattern:
                parts.append(pattern[len("FILTER(!"):-1])
            else:
                parts.append(f"NOT EXISTS {{ {pattern} }}")
        return "(" + " && ".join(parts) + ")" if parts else "true"

    # ------------------------------------------------------------------ targets and whole queries

    def targets(self, shape) -> list:
        """Return a pattern per kind of target, each binding ?focus."""
        out = []
        classes = set(self.g.objects(shape, self.SH.targetClass))
        if (shape, self.rdflib.RDF.type, self.rdflib.URIRef(RDFS_CLASS)) in self.g:
            classes.add(shape)
        if classes:
            within = sorted({c for cls in classes for c in self.classes.get(str(cls), {str(cls)})})
            out.append(f"?focus <{RDF_TYPE}> ?target_type . FILTER(?target_type IN ({', '.join(map(_iri, within))}))")
        for p in sorted(self.g.objects(shape, self.SH.targetSubjectsOf), key=str):
            out.append(f"?focus {_iri(p)} ?target_o .")
        for p in sorted(self.g.objects(shape, self.SH.targetObjectsOf), key=str):
            out.append(f"?target_s {_iri(p)} ?focus .")
        nodes = sorted(self.g.objects(shape, self.SH.targetNode), key=str)
        if nodes:
            out.append("VALUES ?focus { " + " ".join(self.term(n) for n in nodes) + " }")
        return out

    def query(self, shape, scope: str | None = None) -> ShapeQuery | None:
        """Return the shape's query, or None when it has no targets or no constraints."""
        targets = self.targets(shape)
        branches = self.violations(shape, "?focus")
        if not targets or not branches:
            return None
        focus = " UNION ".join("{ " + t + " }" for t in targets)
        if scope:
            focus = f"GRAPH <{scope}> {{ ?focus <{SCOPE_PREDICATE}> ?scope_mark }} {{ {focus} }}"
        # each branch repeats the targets: a group is evaluated on its own, so its FILTERs must see ?focus bound
        union = " UNION ".join("{ " + focus + " " + pattern + f" BIND({k} AS ?k)" + (f" BIND({v} AS ?value)" if v else "")
                               + " }" for k, (pattern, v, _, _, _) in enumerate(branches))
        sparql = f"SELECT DISTINCT ?focus ?k ?value WHERE {{ {union} }}"
        return ShapeQuery(str(shape), sparql, tuple((path, comp, msg) for _, _, path, comp, msg in branches))


def class_closure(store) -> dict:
    """Return ``{class: {class and its subclasses}}`` for every class with a subclass in the store (union graph)."""
    out = {}
    for sol in store.query(f"SELECT DISTINCT ?sub ?sup WHERE {{ ?sub <{SUBCLASS}>+ ?sup }}",
                           use_default_graph_as_union=True):
        if isinstance(sol["sub"], ox.NamedNode) and isinstance(sol["sup"], ox.NamedNode):
            out.setdefault(sol["sup"].value, {sol["sup"].value}).add(sol["sub"].value)
    return out


def _shape_nodes(shapes):
    """Return the shapes that have targets (node or property shapes), in a stable order."""
    import rdflib

    S = rdflib.Namespace(SH)
    found = set()
    for p in (S.targetClass, S.targetNode, S.targetSubjectsOf, S.targetObjectsOf):
        found.update(shapes.subjects(p, None))
    for s in shapes.subjects(rdflib.RDF.type, S.NodeShape):
        if (s, rdflib.RDF.type, rdflib.RDFS.Class) in shapes:
            found.add(s)
    return sorted(found, key=str)


def compile_shapes(shapes, classes: dict | None = None, scope: str | None = None) -> list:
    """Return a ShapeQuery per targeted shape of an rdflib shapes Graph.

    ``classes`` is :func:`class_closure` of the data (targets and ``sh:class`` include subclasses);
    ``scope`` names a graph marking the focus nodes to validate (all, when None).
    """
    comp = _Compiler(shapes, classes or {})
    return [q for q in (comp.query(s, scope) for s in _shape_nodes(shapes)) if q is not None]


def _text(term) -> str:
    return term.value if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)) else str(term)


def shape_violations(store: ox.Store, shapes, scope: str | None = None) -> list:
    """Run the shapes (an rdflib Graph) on a pyoxigraph Store's union graph; return ShapeResults, sorted.

    With ``scope``, only nodes marked in that graph (see SCOPE_PREDICATE) are validated.
    """
    out = set()
    for q in compile_shapes(shapes, class_closure(store), scope):
        for sol in store.query(q.sparql, use_default_graph_as_union=True):
            path, comp, msg = q.branches[int(sol["k"].value)]
            value = sol["value"]
            out.add(ShapeResult(_text(sol["focus"]), path, msg or _default_message(comp, path), comp,
                                _text(value) if value is not None else None))
    return sorted(out, key=lambda r: (r.focus, r.path or "", r.component, r.value or ""))


def _default_message(component: str, path: str | None) -> str:
    return f"sh:{component} not met" + (f" on {path}" if path else "")
