"""Seeded generator of realistic graphs in the project's model, scaled to a number of statements.

The graph follows ontology/README.md: domains and a SKOS technology hierarchy in ``cgg:taxonomy``;
countries, places, actors of every type, posts, programmes, use cases and events in ``cgg:entities``
(English labels, French for some, descriptions, acronyms); source documents described in
``cgg:sources``; and each source's statements in the named graph named by the source: relations of
every sourced kind, mentions, programme dates and budgets, use-case attributes, and dated or costed
facts as ``cg:QualifiedRelation`` nodes. Subjects of sources follow a power law, so a few actors are
hubs (as NATO is in the curated data) and most have a handful of facts.

Output is N-Quads that ``convergence build --data DIR`` loads: ``taxonomy-NNNN.nq``,
``entities-NNNN.nq``, ``sources-NNNN.nq`` and ``facts-NNNN.nq``, each file at most ``shard``
statements (150,000 by default, about 40 MB: under the 64 MB the build accepts per data file), plus ``bench-manifest.json`` naming good parameters for the named queries. The same seed and
size give byte-identical files.

>>> import tempfile
>>> m = generate(tempfile.mkdtemp(), triples=3000, seed=1)
>>> 3000 <= m["quads"] < 3100 and m["counts"]["technologies"] >= 24
True
"""

import json
import random
from bisect import bisect_left
from itertools import accumulate
from pathlib import Path

__all__ = ["generate", "write_ntriples", "SCALES", "main"]

#: The named sizes (statements).
SCALES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "5M": 5_000_000}

BASE = "https://w3id.org/convergence-graph/"
CG = BASE + "ontology#"
ID = BASE + "id/"
GRAPH = {k: f"<{BASE}graph/{k}>" for k in ("taxonomy", "entities", "sources")}
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
SCHEME = f"<{ID}scheme/technologies>"

A = f"<{RDF}type>"
PREF, ALT, BROADER, INSCHEME, CLOSE = (f"<{SKOS}{x}>" for x in ("prefLabel", "altLabel", "broader", "inScheme",
                                                                 "closeMatch"))
DESC, TITLE, ISSUED, LANGUAGE, PUBLISHER, DATE = (f"<{DCT}{x}>" for x in ("description", "title", "issued",
                                                                          "language", "publisher", "date"))
START, END, URL = f"<{SCHEMA}startDate>", f"<{SCHEMA}endDate>", f"<{SCHEMA}url>"
SUBJ, PRED, OBJ = f"<{RDF}subject>", f"<{RDF}predicate>", f"<{RDF}object>"


def cg(name: str) -> str:
    """The N-Triples form of a cg: term."""
    return f"<{CG}{name}>"


def lit(text: str, lang: str | None = None) -> str:
    """A string literal, escaped, with an optional language tag."""
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{body}"@{lang}' if lang else f'"{body}"'


def typed(text: str, datatype: str) -> str:
    """A typed literal (datatype a local name in xsd:)."""
    return f'"{text}"^^<{XSD}{datatype}>'


COUNTRIES = [("us", "United States", "États-Unis"), ("gb", "United Kingdom", "Royaume-Uni"),
             ("fr", "France", "France"), ("de", "Germany", "Allemagne"), ("dk", "Denmark", "Danemark"),
             ("nl", "Netherlands", "Pays-Bas"), ("ca", "Canada", "Canada"), ("it", "Italy", "Italie"),
             ("es", "Spain", "Espagne"), ("pl", "Poland", "Pologne"), ("no", "Norway", "Norvège"),
             ("se", "Sweden", "Suède"), ("fi", "Finland", "Finlande"), ("be", "Belgium", "Belgique"),
             ("pt", "Portugal", "Portugal"), ("cz", "Czechia", "Tchéquie"), ("ee", "Estonia", "Estonie"),
             ("lt", "Lithuania", "Lituanie"), ("lv", "Latvia", "Lettonie"), ("ro", "Romania", "Roumanie"),
             ("tr", "Türkiye", "Türkiye"), ("gr", "Greece", "Grèce"), ("hu", "Hungary", "Hongrie"),
             ("sk", "Slovakia", "Slovaquie"), ("si", "Slovenia", "Slovénie"), ("hr", "Croatia", "Croatie"),
             ("bg", "Bulgaria", "Bulgarie"), ("is", "Iceland", "Islande"), ("lu", "Luxembourg", "Luxembourg"),
             ("at", "Austria", "Autriche"), ("ch", "Switzerland", "Suisse"), ("ie", "Ireland", "Irlande"),
             ("jp", "Japan", "Japon"), ("kr", "South Korea", "Corée du Sud"), ("au", "Australia", "Australie"),
             ("il", "Israel", "Israël"), ("in", "India", "Inde"), ("sg", "Singapore", "Singapour"),
             ("cn", "China", "Chine"), ("br", "Brazil", "Brésil")]

DOMAINS = [("quantum", "Quantum", "Quantique"), ("ai", "Artificial intelligence", "Intelligence artificielle"),
           ("biotech", "Biotechnology", "Biotechnologie")]

TECH_ROOTS = {
    "quantum": ["Quantum computing", "Quantum sensing", "Quantum communication", "Quantum materials",
                "Post-quantum cryptography", "Quantum simulation"],
    "ai": ["Machine learning", "Computer vision", "Natural language processing", "Autonomous systems",
           "Reinforcement learning", "Generative models"],
    "biotech": ["Protein design", "Synthetic biology", "Genomics", "Gene editing", "Biomanufacturing",
                "Bioinformatics"],
}
TECH_WORDS = ["trapped-ion", "superconducting", "photonic", "neutral-atom", "topological", "error-corrected",
              "hybrid", "distributed", "embedded", "federated", "graph-based", "low-power", "high-throughput",
              "cryogenic", "room-temperature", "spin", "diamond NV", "cold-atom", "self-supervised", "robust",
              "explainable", "multimodal", "cell-free", "directed-evolution", "single-cell", "CRISPR",
              "microfluidic", "variational", "annealing", "satellite", "fibre", "lattice", "interferometric"]
TECH_NOUNS = ["methods", "platforms", "architectures", "devices", "protocols", "algorithms", "sensors",
              "pipelines", "assays", "models", "networks", "systems"]

ACTOR_KINDS = [  # class, IRI prefix folder, share, English suffixes, French form
    ("Company", "org", 40, ["Systems", "Technologies", "Labs", "Inc", "Dynamics", "Bio", "AI"], None),
    ("ResearchOrganisation", "org", 25, ["Institute", "University", "Research Centre", "Laboratory"],
     {"Institute": "Institut", "University": "Université", "Research Centre": "Centre de recherche",
      "Laboratory": "Laboratoire"}),
    ("Person", "person", 14, [], None),
    ("GovernmentBody", "org", 8, ["Agency", "Ministry", "Office", "Directorate"],
     {"Agency": "Agence", "Ministry": "Ministère", "Office": "Office", "Directorate": "Direction"}),
    ("FundingBody", "org", 6, ["Foundation", "Fund", "Council", "Ventures"],
     {"Foundation": "Fondation", "Fund": "Fonds", "Council": "Conseil", "Ventures": "Ventures"}),
    ("AllianceBody", "org", 4, ["Community", "Board", "Working Group", "Consortium"],
     {"Community": "Communauté", "Board": "Comité", "Working Group": "Groupe de travail",
      "Consortium": "Consortium"}),
    ("IntergovernmentalOrganisation", "org", 3, ["Organisation", "Partnership", "Alliance"],
     {"Organisation": "Organisation", "Partnership": "Partenariat", "Alliance": "Alliance"}),
]
NAME_PARTS = ["Aurora", "Boreal", "Cobalt", "Delta", "Ember", "Fjord", "Granite", "Helix", "Iris", "Juniper",
              "Kestrel", "Lumen", "Meridian", "Nordic", "Orion", "Photon", "Quanta", "Riviera", "Sable", "Tidal",
              "Umbra", "Vector", "Willow", "Xenon", "Yarrow", "Zephyr", "Atlantic", "Baltic", "Celtic", "Danube",
              "Alpine", "Coastal", "Northern", "Southern", "Eastern", "Western", "Central", "Pacific"]
FIELDS = ["Quantum", "Photonics", "Genomics", "Neural", "Cyber", "Bio", "Cognitive", "Cryo", "Nano", "Data",
          "Sensor", "Protein", "Secure", "Space", "Defence", "Health"]
GIVEN = ["Anna", "Lars", "Marie", "Jonas", "Sofia", "Pierre", "Ingrid", "Tomasz", "Elena", "Mikkel", "Claire",
         "Henrik", "Giulia", "Piotr", "Astrid", "Lucas", "Nora", "Emre", "Freya", "Mateo", "Aiko", "Ravi"]
FAMILY = ["Jensen", "Martin", "Kowalski", "Rossi", "Larsen", "Dubois", "Schmidt", "Nielsen", "Garcia", "Novak",
          "Andersen", "Moreau", "Berg", "Silva", "Yilmaz", "Tanaka", "Smith", "Müller", "Kumar", "Popescu"]
CITIES = ["Copenhagen", "Brussels", "Paris", "Berlin", "Delft", "Ottawa", "Warsaw", "Oslo", "Helsinki",
          "Tallinn", "Lisbon", "Madrid", "Rome", "Vienna", "Geneva", "Boston", "Tokyo", "Munich", "Lyon", "Aarhus"]
#: Kinds of initiative in turn (half programmes, then strategies, work streams, standards).
PROG_KINDS = ["Programme", "Strategy", "Programme", "WorkStream", "Programme", "Standard", "Programme",
              "Strategy", "Programme", "WorkStream"]
OUTLETS = ["Tech Policy Review", "Quantum Insider Weekly", "Defence News Digest", "Science Policy Journal",
           "Biotech Monitor", "AI Governance Brief", "European Research Wire", "Atlantic Security Report"]
CURRENCIES = ["EUR", "USD", "GBP", "DKK", "CAD", "NOK"]

#: Fact kinds a source graph holds, with weights.
FACTS = [("worksOn", 22), ("develops", 5), ("basedIn", 6), ("partnersWith", 9), ("funds", 7), ("investsIn", 2),
         ("memberOf", 6), ("chairs", 1), ("partOf", 3), ("leads", 2), ("participatesIn", 4), ("enables", 4),
         ("convergesWith", 3), ("usedIn", 1), ("addresses", 5), ("launched", 1), ("regulates", 1),
         ("mitigates", 1), ("holdsPost", 1), ("mentions", 10)]


def _slug(text: str) -> str:
    """Lower-case ASCII slug (accents dropped, other runs become '-')."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out, dash = [], False
    for ch in ascii_text.replace("&", "and"):
        if ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


class _Picker:
    """Draw items with a power-law preference for the first ones (hubs), reproducibly."""

    def __init__(self, rng: random.Random, items: list, exponent: float):
        self.rng, self.items = rng, items
        self.cum = list(accumulate(1.0 / (i + 1) ** exponent for i in range(len(items))))

    def __call__(self):
        return self.items[bisect_left(self.cum, self.rng.random() * self.cum[-1])]


class _Writer:
    """N-Quads into numbered files of at most ``shard`` statements, counting what it writes."""

    def __init__(self, folder: Path, shard: int):
        self.folder, self.shard, self.count = folder, shard, 0
        self.files, self._open, self._in_file = [], {}, {}

    def write(self, kind: str, quads) -> None:
        """Append quads (kept together) to the current ``KIND-NNNN.nq``, starting a new file when full."""
        f = self._open.get(kind)
        if f is None or self._in_file[kind] + len(quads) > self.shard and self._in_file[kind]:
            if f is not None:
                f.close()
            name = f"{kind}-{len([x for x in self.files if x.startswith(kind + '-')]) + 1:04d}.nq"
            self.files.append(name)
            f = self._open[kind] = open(self.folder / name, "w", encoding="utf-8")
            self._in_file[kind] = 0
        f.write("".join(f"{s} {p} {o} {g} .\n" for s, p, o, g in quads))
        self._in_file[kind] += len(quads)
        self.count += len(quads)

    def file(self, kind: str, quads) -> None:
        """Write a list of quads in batches."""
        for i in range(0, len(quads), 1000):
            self.write(kind, quads[i:i + 1000])

    def close(self) -> None:
        for f in self._open.values():
            f.close()
        self._open = {}


def _date(rng: random.Random, lo: int = 2015, hi: int = 2025) -> str:
    """A date as precise as a source might give it: day (70%), month (20%) or year."""
    y, m, d = rng.randint(lo, hi), rng.randint(1, 12), rng.randint(1, 28)
    r = rng.random()
    if r < 0.7:
        return typed(f"{y}-{m:02d}-{d:02d}", "date")
    if r < 0.9:
        return typed(f"{y}-{m:02d}", "gYearMonth")
    return typed(str(y), "gYear")


def generate(out_dir, triples: int = 10_000, seed: int = 42, shard: int = 150_000) -> dict:
    """Write a graph of about ``triples`` statements into ``out_dir``; return its manifest.

    The manifest counts entities by kind and names the hub and a typical actor, a body with chairs,
    a funded actor and parameters for every named query that takes one.
    """
    rng = random.Random(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in list(out.glob("*.nq")) + list(out.glob("bench-manifest.json")):
        old.unlink()
    w = _Writer(out, shard)
    u = max(triples, 1000) / 1000.0
    names = {}

    def unique(label: str) -> str:
        n = names.get(label, 0) + 1
        names[label] = n
        return label if n == 1 else f"{label} {n}"

    # ---------------------------------------------------------------- taxonomy
    tx, G = [], GRAPH["taxonomy"]
    tx += [(SCHEME, A, f"<{SKOS}ConceptScheme>", G), (SCHEME, PREF, lit("Technologies", "en"), G)]
    domains = []
    for slug, en, fr in DOMAINS:
        d = f"<{ID}domain/{slug}>"
        domains.append(d)
        tx += [(d, A, cg("Domain"), G), (d, PREF, lit(en, "en"), G), (d, PREF, lit(fr, "fr"), G),
               (d, DESC, lit(f"Work on {en.lower()} and what it enables.", "en"), G)]
    techs, tech_domains, tech_labels, depth = [], {}, {}, {}
    n_tech = max(60, int(2.5 * u))
    roots = [(d, name) for d, (slug, _, _) in zip(domains, DOMAINS) for name in TECH_ROOTS[slug]]
    for i in range(n_tech):
        if i < len(roots):
            dom, label, parent = roots[i][0], roots[i][1], None
        else:
            parent = techs[rng.randrange(len(techs))]
            while depth[parent] >= 3:
                parent = techs[rng.randrange(len(techs))]
            dom = tech_domains[parent][0]
            base = tech_labels[parent].split(":")[0]
            label = unique(f"{base}: {rng.choice(TECH_WORDS)} {rng.choice(TECH_NOUNS)}")
        t = f"<{ID}tech/{_slug(label)}>"
        doms = [dom]
        if parent is None and i % 6 == 5 or parent is not None and rng.random() < 0.15:
            doms.append(domains[(domains.index(dom) + rng.randint(1, 2)) % 3])
        techs.append(t)
        tech_domains[t], tech_labels[t] = doms, label
        depth[t] = 0 if parent is None else depth[parent] + 1
        tx += [(t, A, cg("Technology"), G), (t, PREF, lit(label, "en"), G), (t, INSCHEME, SCHEME, G),
               (t, DESC, lit(f"{label}, as described by the sources.", "en"), G)]
        tx += [(t, cg("inDomain"), d, G) for d in doms]
        if parent is not None:
            tx.append((t, BROADER, parent, G))
        if rng.random() < 0.3:
            tx.append((t, PREF, lit(f"{label} (fr)", "fr"), G))
        if rng.random() < 0.2:
            tx.append((t, CLOSE, f"<https://openalex.org/T{10000 + i}>", G))
    w.file("taxonomy", tx)

    # ---------------------------------------------------------------- identity
    en_, G = [], GRAPH["entities"]
    countries = []
    for code, en, fr in COUNTRIES:
        c = f"<{ID}country/{code}>"
        countries.append(c)
        en_ += [(c, A, cg("Country"), G), (c, PREF, lit(en, "en"), G), (c, PREF, lit(fr, "fr"), G),
                (c, cg("iso3166Alpha2"), lit(code.upper()), G)]
    places = []
    for i in range(max(5, int(0.3 * u))):
        label = unique(CITIES[i % len(CITIES)] + (f" site {i // len(CITIES)}" if i >= len(CITIES) else ""))
        p = f"<{ID}place/{_slug(label)}>"
        places.append(p)
        en_ += [(p, A, cg("Place"), G), (p, PREF, lit(label, "en"), G)]

    actors, by_kind, labels = [], {k[0]: [] for k in ACTOR_KINDS}, {}
    n_actors = int(45 * u)
    kinds = [k for k in ACTOR_KINDS for _ in range(k[2])]
    for i in range(n_actors):
        cls, folder, _, suffixes, french = kinds[i % len(kinds)] if i < len(kinds) else rng.choice(kinds)
        if cls == "Person":
            label = unique(f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}")
        else:
            label = unique(f"{rng.choice(NAME_PARTS)} {rng.choice(FIELDS)} {rng.choice(suffixes)}")
        x = f"<{ID}{folder}/{_slug(label)}>"
        actors.append(x)
        by_kind[cls].append(x)
        labels[x] = label
        en_ += [(x, A, cg(cls), G), (x, PREF, lit(label, "en"), G)]
        if french and rng.random() < 0.35:
            suffix = label.split(" ", 2)[2].rsplit(" ", 1)[0] if label[-1].isdigit() else label.split(" ", 2)[2]
            en_.append((x, PREF, lit(f"{french.get(suffix, suffix)} {' '.join(label.split(' ')[:2])}", "fr"), G))
        if cls != "Person" and rng.random() < 0.4:
            en_.append((x, DESC, lit(f"{label} works on {rng.choice(FIELDS).lower()} technologies.", "en"), G))
        if cls != "Person" and rng.random() < 0.25:
            en_.append((x, ALT, lit("".join(p[0] for p in label.split() if p[0].isalpha()).upper(), "en"), G))
    posts = []
    for i in range(max(3, int(1 * u))):
        label = unique(f"Chair of the {rng.choice(NAME_PARTS)} {rng.choice(FIELDS)} board")
        p = f"<{ID}post/{_slug(label)}>"
        posts.append(p)
        en_ += [(p, A, cg("Post"), G), (p, PREF, lit(label, "en"), G)]
    programmes, prog_kinds = [], PROG_KINDS
    for i in range(max(8, int(4 * u))):
        cls = prog_kinds[i % len(prog_kinds)]
        label = unique(f"{rng.choice(NAME_PARTS)} {rng.choice(FIELDS)} {cls if cls != 'WorkStream' else 'work stream'}")
        p = f"<{ID}programme/{_slug(label)}>"
        programmes.append(p)
        labels[p] = label
        en_ += [(p, A, cg(cls), G), (p, PREF, lit(label, "en"), G),
                (p, cg("inDomain"), domains[i % 3], G),
                (p, DESC, lit(f"A {cls.lower()} on {DOMAINS[i % 3][1].lower()}.", "en"), G)]
    usecases = []
    for i in range(max(6, int(2 * u))):
        label = unique(f"{rng.choice(['Navigation', 'Diagnostics', 'Drug discovery', 'Threat detection', 'Logistics', 'Secure messaging', 'Materials discovery', 'Surveillance', 'Pathogen design screening', 'Climate modelling'])} with {rng.choice(FIELDS).lower()} tools")
        x = f"<{ID}usecase/{_slug(label)}>"
        usecases.append(x)
        labels[x] = label
        en_ += [(x, A, cg("UseCase"), G), (x, PREF, lit(label, "en"), G), (x, cg("inDomain"), domains[i % 3], G)]
        if rng.random() < 0.3:
            en_.append((x, cg("inDomain"), domains[(i + 1) % 3], G))
    events = []
    for i in range(max(3, int(0.8 * u))):
        label = unique(f"{rng.choice(NAME_PARTS)} {rng.choice(FIELDS)} summit {2015 + i % 11}")
        e = f"<{ID}event/{_slug(label)}>"
        events.append(e)
        en_ += [(e, A, cg("Event"), G), (e, PREF, lit(label, "en"), G)]
    w.file("entities", en_)

    # ---------------------------------------------------------------- sources and their statements
    subject_of = _Picker(rng, actors, 1.0)           # who a source is about: a few hubs, a long tail
    any_actor = _Picker(rng, actors, 0.6)
    any_tech = _Picker(rng, techs, 0.7)
    bodies = by_kind["AllianceBody"] + by_kind["IntergovernmentalOrganisation"]
    funders = by_kind["FundingBody"] + by_kind["GovernmentBody"]
    companies = by_kind["Company"]
    persons = by_kind["Person"] or actors
    orgs = [a for a in actors if "/person/" not in a]
    described = {"programmes": 0, "usecases": 0, "events": 0, "posts": 0}
    qualified = set()
    facts_kinds = [k for k, n in FACTS for _ in range(n)]
    src_quads, n_sources = [], 0
    chaired = {}
    funded = {}

    def rel(s, p, o):
        return f"<{ID}rel/{s[1:-1].rsplit('/', 1)[1]}--{p}--{o[1:-1].rsplit('/', 1)[1]}>"

    todo = {"programmes": len(programmes), "usecases": len(usecases), "events": len(events), "posts": len(posts)}
    while w.count + len(src_quads) < triples or described != todo:
        i = n_sources
        n_sources += 1
        about = subject_of()
        primary = rng.random() < 0.4
        outlet = labels[about] if primary else rng.choice(OUTLETS)
        issued = _date(rng)
        year = issued[1:5]
        s = f"<{ID}source/{_slug(outlet)[:40]}-{year}-{i:07d}>"
        Gs = GRAPH["sources"]
        src_quads += [(s, A, cg("SourceDocument"), Gs),
                      (s, TITLE, lit(f"{labels[about]}: {rng.choice(['announces', 'reports on', 'expands', 'reviews', 'joins'])} work on {tech_labels[any_tech()].lower()}", "en"), Gs),
                      (s, cg("publisherName"), lit(outlet), Gs), (s, ISSUED, issued, Gs),
                      (s, URL, f"<https://{_slug(outlet)[:30]}.example.org/{year}/item-{i:07d}>", Gs),
                      (s, cg("sourceKind"), cg("Primary" if primary else "Secondary"), Gs),
                      (s, LANGUAGE, lit("fr" if rng.random() < 0.1 else "en"), Gs)]
        if primary:
            src_quads.append((s, PUBLISHER, about, Gs))
        if rng.random() < 0.02:
            src_quads.append((s, cg("marking"), cg("Internal"), Gs))
        q, seen = [], set()

        def say(x, p, o):
            key = (x, p, o)
            if key not in seen:
                seen.add(key)
                q.append((x, cg(p), o, s))

        def qualify(x, p, o, **attrs):
            key = (x, p, o)
            if key in qualified:
                return
            qualified.add(key)
            r = rel(x, p, o)
            q.extend([(r, A, cg("QualifiedRelation"), s), (r, SUBJ, x, s), (r, PRED, cg(p), s), (r, OBJ, o, s)])
            q.extend((r, k, v, s) for k, v in attrs.items())

        # what this source first describes: one programme, use case, event and post at a time
        if described["programmes"] < len(programmes):
            p = programmes[described["programmes"]]
            described["programmes"] += 1
            publisher = rng.choice(funders + countries) if funders else rng.choice(countries)
            say(p, "publishedBy", publisher)
            say(p, "addresses", any_tech())
            if rng.random() < 0.3:
                say(p, "addresses", rng.choice(usecases))
            q.append((p, START, typed(str(rng.randint(2015, 2025)), "gYear"), s))
            if rng.random() < 0.4:
                q.append((p, END, typed(str(rng.randint(2026, 2032)), "gYear"), s))
            if rng.random() < 0.6:
                b = f"_:budget{described['programmes']}"
                q += [(p, cg("budget"), b, s), (b, A, cg("Budget"), s),
                      (b, cg("amount"), typed(str(rng.randint(1, 900) * 1_000_000), "decimal"), s),
                      (b, cg("currency"), lit(rng.choice(CURRENCIES)), s)]
            if rng.random() < 0.5:
                q.append((p, cg("aim"), lit(f"Lead in {tech_labels[any_tech()].lower()} by 2030", "en"), s))
        if described["usecases"] < len(usecases):
            x = usecases[described["usecases"]]
            described["usecases"] += 1
            dual = rng.random() < 0.4
            q.append((x, cg("dualUse"), typed("true" if dual else "false", "boolean"), s))
            q.append((x, cg("benefit"), lit(f"Faster, cheaper {labels[x].split(' with ')[0].lower()}.", "en"), s))
            if dual:
                q.append((x, cg("risk"), lit("Could serve hostile ends as well.", "en"), s))
            say(any_tech(), "enables", x)
        if described["events"] < len(events):
            e = events[described["events"]]
            described["events"] += 1
            q.append((e, START, _date(rng), s))
            say(e, "heldIn", rng.choice(places))
            say(e, "organisedBy", rng.choice(bodies or orgs))
        if described["posts"] < len(posts):
            p = posts[described["posts"]]
            described["posts"] += 1
            say(p, "postIn", rng.choice(bodies or orgs))

        for _ in range(rng.randint(6, 30)):
            kind = rng.choice(facts_kinds)
            x = about if rng.random() < 0.6 else any_actor()
            if kind in ("worksOn", "develops"):
                say(x if kind == "worksOn" or x in companies else rng.choice(companies or actors), kind, any_tech())
            elif kind == "basedIn":
                say(x, "basedIn", rng.choice(countries if rng.random() < 0.9 else places))
            elif kind == "partnersWith":
                o = any_actor()
                if o != x:
                    say(x, "partnersWith", o)
            elif kind in ("funds", "investsIn"):
                f = rng.choice(funders or actors) if kind == "funds" else rng.choice(by_kind["FundingBody"] or actors)
                o = x if rng.random() < 0.8 else rng.choice(programmes)
                if o != f:
                    say(f, kind, o)
                    funded[o] = funded.get(o, 0) + 1
                    if rng.random() < 0.7:
                        qualify(f, kind, o, **{cg("amount"): typed(str(rng.randint(1, 500) * 100_000), "decimal"),
                                               cg("currency"): lit(rng.choice(CURRENCIES)), DATE: _date(rng)})
            elif kind == "memberOf" and bodies:
                o = rng.choice(bodies[: max(3, len(bodies) // 4)])
                m = x if rng.random() < 0.7 else rng.choice(countries)
                if m != o:
                    say(m, "memberOf", o)
                    if rng.random() < 0.5:
                        qualify(m, "memberOf", o, **{START: _date(rng)})
            elif kind == "chairs" and bodies:
                o = rng.choice(bodies[: max(3, len(bodies) // 4)])
                c = rng.choice(countries)
                say(c, "chairs", o)
                chaired[o] = chaired.get(o, 0) + 1
                y = rng.randint(2015, 2024)
                qualify(c, "chairs", o, **{START: typed(str(y), "gYear"), END: typed(str(y + 1), "gYear")})
            elif kind == "partOf":
                a, b = rng.choice(orgs), rng.choice(bodies or orgs)
                if a != b:
                    say(a, "partOf", b)
            elif kind == "leads":
                say(x, "leads", rng.choice(programmes))
            elif kind == "participatesIn":
                say(x, "participatesIn", rng.choice(events + programmes))
            elif kind == "enables":
                say(any_tech(), "enables", rng.choice(usecases))
            elif kind in ("convergesWith", "usedIn"):
                a, b = any_tech(), any_tech()
                if a != b:
                    say(a, kind, b)
            elif kind == "addresses":
                say(rng.choice(programmes), "addresses", any_tech())
            elif kind == "launched":
                say(x, "launched", rng.choice(programmes))
            elif kind == "regulates":
                say(rng.choice(funders or actors), "regulates", rng.choice([any_tech(), rng.choice(usecases)]))
            elif kind == "mitigates":
                say(rng.choice(programmes), "mitigates", rng.choice(usecases))
            elif kind == "holdsPost":
                p = rng.choice(persons)
                post = rng.choice(posts)
                say(p, "holdsPost", post)
                qualify(p, "holdsPost", post, **{START: _date(rng)})
            elif kind == "mentions":
                q.append((s, cg("mentions"), rng.choice([any_actor(), any_tech(), rng.choice(programmes)]), s))
        w.write("facts", q)
    w.file("sources", src_quads)
    w.close()

    hub = actors[0]
    typical = actors[len(actors) // 2]
    body = max(chaired, key=lambda b: (chaired[b], b)) if chaired else (bodies or actors)[0]
    recipient = max(funded, key=lambda b: (funded[b], b)) if funded else hub
    short = lambda iri: iri[1:-1]  # noqa: E731
    manifest = {
        "seed": seed, "target": triples, "quads": w.count, "files": sorted(w.files),
        "counts": {"technologies": len(techs), "actors": len(actors), "programmes": len(programmes),
                   "use cases": len(usecases), "events": len(events), "places": len(places),
                   "countries": len(countries), "posts": len(posts), "sources": n_sources,
                   "qualified relations": len(qualified)},
        "hub": short(hub), "typical": short(typical), "second": short(actors[1]),
        "params": {
            "actors-by-country": {"country": short(countries[0])},
            "chairs-over-time": {"body": short(body)},
            "community-members": {"body": short(body)},
            "country-programmes": {"country": short(countries[1])},
            "dated-in-range": {"from": "2024-01-01", "to": "2024-12-31"},
            "dual-use-use-cases": {"technology": short(techs[0])},
            "facts-about": {"entity": short(hub)},
            "funders-at-domain-boundary": {"domain_a": short(domains[0]), "domain_b": short(domains[1])},
            "funders-of": {"recipient": short(recipient)},
            "neighbourhood": {"entity": short(typical)},
            "partners-of": {"actor": short(hub)},
            "programmes-addressing-technology": {"technology": short(techs[0])},
            "search-entities": {"text": "quantum"},
            "sources-of-statement": {"subject": short(hub)},
        },
    }
    (out / "bench-manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return manifest


def write_ntriples(data_dir, out_file) -> int:
    """Write the facts of a generated graph as one N-Triples file (graph names dropped); return lines.

    Imported with one source, they restate every fact in that source's graph: the same shape of
    statements as a large import of publications, all about entities the graph already holds.
    """
    n = 0
    with open(out_file, "w", encoding="utf-8") as dst:
        for path in sorted(Path(data_dir).glob("facts-*.nq")):
            with open(path, encoding="utf-8") as src:
                for line in src:
                    head, _, _ = line.rstrip(" .\n").rpartition(" ")
                    dst.write(head + " .\n")
                    n += 1
    return n


def main(argv=None) -> None:
    """``python -m benchmarks.generator OUT_DIR [--triples N|10k|1M] [--seed S]``."""
    import argparse

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("out_dir")
    ap.add_argument("--triples", default="10k", help="a number or one of " + ", ".join(SCALES))
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--shard", type=int, default=150_000, help="most statements in one file")
    args = ap.parse_args(argv)
    n = SCALES.get(args.triples) or int(args.triples)
    m = generate(args.out_dir, n, args.seed, args.shard)
    print(f"wrote {m['quads']} statements in {len(m['files'])} files to {args.out_dir}")


if __name__ == "__main__":
    main()
