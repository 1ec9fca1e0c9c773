/*
 * The native verdicts on our TEI documents, in C: check() for our Schematron rules
 * (schemas/transcript-tei.sch), structure() for our RELAX NG (schemas/transcript-tei.rng,
 * the second half of this file).
 *
 * exporters/validation.py's rules_hold() calls check(root) first and falls back to its
 * Python verdict when this module is not built (no C compiler at install time) or when
 * check() cannot decide (-1: an attribute or a text made of entity references, a root
 * that is not TEI). Like the Python verdict it runs only on documents that passed our
 * RELAX NG, and it must give the Schematron's verdict on every one of them (the tests run
 * all three on mutated documents). Change the Schematron, the Python verdict and this file
 * together.
 *
 * It reads the libxml2 tree lxml built, through the node pointer of lxml's element object
 * (the layout lxml's own C API gives Cython users: PyObject_HEAD, _doc, _c_node), while
 * holding the GIL, so the tree cannot change under it. It allocates only its own tables.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

typedef struct {
    PyObject_HEAD
    void *doc;
    xmlNode *c_node;
} LxmlElement;

static PyTypeObject *element_type = NULL; /* lxml.etree._Element */

static const char TEI_NS[] = "http://www.tei-c.org/ns/1.0";
static const char XML_NS[] = "http://www.w3.org/XML/1998/namespace";

#define UNDECIDED (-1)

/* kinds of elements carrying an xml:id, as bits */
enum {
    K_APPLICATION = 1 << 0,
    K_TAXONOMY = 1 << 1,
    K_CATEGORY_KIND = 1 << 2,   /* a category of the turn-kinds taxonomy */
    K_CATEGORY_RULE = 1 << 3,   /* a category of the repair-rules taxonomy */
    K_CATEGORY = 1 << 4,
    K_PARTICIPANT = 1 << 5,
    K_PERSON = 1 << 6,
    K_U = 1 << 7,
    K_SEG = 1 << 8,
    K_BODY_SEG = 1 << 9,
    K_SURPLUS = 1 << 10,
};

/* ------------------------------------------------------------------ growable arrays */

typedef struct {
    const xmlChar **items;
    size_t n, cap;
} StrList;

typedef struct {
    const xmlChar *id;
    unsigned kind;
    int marked; /* a participant who speaks, a paragraph the layout points at */
} IdEntry;

typedef struct {
    IdEntry *items;
    size_t n, cap;
} IdList;

static int push_str(StrList *l, const xmlChar *s) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        const xmlChar **items = realloc(l->items, cap * sizeof *items);
        if (items == NULL)
            return -1;
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = s;
    return 0;
}

static int push_id(IdList *l, const xmlChar *id, unsigned kind) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 128;
        IdEntry *items = realloc(l->items, cap * sizeof *items);
        if (items == NULL)
            return -1;
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n].id = id;
    l->items[l->n].kind = kind;
    l->items[l->n].marked = 0;
    l->n++;
    return 0;
}

/* ------------------------------------------------------------------ the id table */

typedef struct {
    IdEntry **slots;
    size_t mask;
} IdTable;

static uint64_t hash_of(const xmlChar *s) {
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= *s;
        h *= 1099511628211ULL;
    }
    return h;
}

/* 1: built, 0: an id repeats (unique-id fails), -1: out of memory */
static int build_table(IdTable *t, IdList *ids) {
    size_t size = 16;
    while (size < ids->n * 2 + 1)
        size *= 2;
    t->slots = calloc(size, sizeof *t->slots);
    if (t->slots == NULL)
        return -1;
    t->mask = size - 1;
    for (size_t i = 0; i < ids->n; i++) {
        IdEntry *e = &ids->items[i];
        size_t at = (size_t)hash_of(e->id) & t->mask;
        while (t->slots[at] != NULL) {
            if (strcmp((const char *)t->slots[at]->id, (const char *)e->id) == 0)
                return 0;
            at = (at + 1) & t->mask;
        }
        t->slots[at] = e;
    }
    return 1;
}

/* The element a pointer ("#" and an id, exactly) points at, or NULL. */
static IdEntry *target_of(const IdTable *t, const xmlChar *pointer) {
    if (pointer == NULL || pointer[0] != '#')
        return NULL;
    const xmlChar *id = pointer + 1;
    size_t at = (size_t)hash_of(id) & t->mask;
    while (t->slots[at] != NULL) {
        if (strcmp((const char *)t->slots[at]->id, (const char *)id) == 0)
            return t->slots[at];
        at = (at + 1) & t->mask;
    }
    return NULL;
}

/* Whether every pointer in ``list`` points at an element of one of ``kinds``; with ``mark``,
 * marks the elements pointed at. */
static int all_resolve(const IdTable *t, const StrList *list, unsigned kinds, int mark) {
    for (size_t i = 0; i < list->n; i++) {
        IdEntry *e = target_of(t, list->items[i]);
        if (e == NULL || !(e->kind & kinds))
            return 0;
        if (mark)
            e->marked = 1;
    }
    return 1;
}

/* Whether every element of ``kind`` was marked (pointed at). */
static int all_marked(const IdList *ids, unsigned kind) {
    for (size_t i = 0; i < ids->n; i++)
        if ((ids->items[i].kind & kind) && !ids->items[i].marked)
            return 0;
    return 1;
}

/* ------------------------------------------------------------------ reading the tree */

/* Whether a namespace's href is ``ns``: our reading of our own files points every node at
 * these very strings, so the pointers are compared first (each element's namespace was 28
 * characters compared, a thousand string comparisons a document with the names below). */
static inline int is_ns(const xmlChar *href, const char *ns) {
    return (const char *)href == ns || strcmp((const char *)href, ns) == 0;
}

/* Whether a node's or an attribute's name is ``name``: most names differ in their first
 * character, compared before the call. */
static inline int same_name(const xmlChar *a, const char *name) {
    return a[0] == (xmlChar)name[0] && strcmp((const char *)a, name) == 0;
}

static int is_tei(const xmlNode *n, const char *name) {
    return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL && is_ns(n->ns->href, TEI_NS) &&
           same_name(n->name, name);
}

static const xmlChar EMPTY[] = "";

/* An attribute's value, NULL when absent; sets *undecided when the value is not one plain
 * text (entity references), which only the Python verdict reads the way lxml does. */
static const xmlChar *attr(const xmlNode *n, const char *name, const char *ns, int *undecided) {
    for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
        if (!same_name(a->name, name))
            continue;
        if (ns == NULL ? a->ns != NULL : (a->ns == NULL || !is_ns(a->ns->href, ns)))
            continue;
        const xmlNode *value = a->children;
        if (value == NULL)
            return EMPTY;
        if (value->type != XML_TEXT_NODE || value->next != NULL || value->content == NULL) {
            *undecided = 1;
            return NULL;
        }
        return value->content;
    }
    return NULL;
}

typedef struct {
    char *text;
    size_t n, cap;
} Buffer;

static int append(Buffer *b, const xmlChar *s) {
    size_t len = strlen((const char *)s);
    if (b->n + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->n + len + 1 > cap)
            cap *= 2;
        char *text = realloc(b->text, cap);
        if (text == NULL)
            return -1;
        b->text = text;
        b->cap = cap;
    }
    memcpy(b->text + b->n, s, len);
    b->n += len;
    b->text[b->n] = 0;
    return 0;
}

/* XPath's string value of an element: its text descendants, in order (comments and
 * processing instructions are not text). 0, or -1 out of memory, or UNDECIDED - 1 for
 * entity references. */
static int string_value(const xmlNode *n, Buffer *b) {
    b->n = 0;
    if (append(b, EMPTY) < 0)
        return -1;
    const xmlNode *cur = n->children;
    while (cur != NULL) {
        if (cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) {
            if (cur->content != NULL && append(b, cur->content) < 0)
                return -1;
        } else if (cur->type == XML_ENTITY_REF_NODE || cur->type == XML_ENTITY_NODE) {
            return -2;
        }
        if (cur->type == XML_ELEMENT_NODE && cur->children != NULL) {
            cur = cur->children;
            continue;
        }
        while (cur != NULL && cur->next == NULL) {
            cur = cur->parent;
            if (cur == n)
                return 0;
        }
        if (cur != NULL)
            cur = cur->next;
    }
    return 0;
}

static int is_xml_space(xmlChar c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static int has_non_space(const char *s) {
    for (; *s; s++)
        if (!is_xml_space((xmlChar)*s))
            return 1;
    return 0;
}

static const xmlNode *first_child(const xmlNode *n, const char *name) {
    for (const xmlNode *c = n->children; c != NULL; c = c->next)
        if (is_tei(c, name))
            return c;
    return NULL;
}

/* XPath's string-length: characters, not bytes */
/* The first element from ``n`` on, following ``next`` (1) or ``prev`` (0) links: what XPath's
 * following-sibling::*[1] or preceding-sibling::*[1] finds; NULL if none. */
static const xmlNode *sibling_element(const xmlNode *n, int forward) {
    while (n != NULL && n->type != XML_ELEMENT_NODE)
        n = forward ? n->next : n->prev;
    return n;
}

static size_t char_length(const xmlChar *s) {
    size_t n = 0;
    for (; *s; s++)
        if ((*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* the byte offset of character ``index`` (0-based), or the end */
static const xmlChar *char_at(const xmlChar *s, size_t index) {
    size_t n = 0;
    for (; *s; s++) {
        if ((*s & 0xC0) != 0x80) {
            if (n == index)
                return s;
            n++;
        }
    }
    return s;
}

/* event-date-is-day: string-length(@when) = 10 and translate(@when, '0123456789', '') = '--' */
static int is_day(const xmlChar *when) {
    if (when == NULL || char_length(when) != 10)
        return 0;
    int dashes = 0;
    for (const xmlChar *s = when; *s; s++) {
        if (*s == '-')
            dashes++;
        else if (*s < '0' || *s > '9')
            return 0;
    }
    return dashes == 2;
}

/* datetime-has-zone: ends with Z, or a + or - from the 20th character on */
static int has_zone(const xmlChar *when) {
    size_t len = strlen((const char *)when);
    if (len > 0 && when[len - 1] == 'Z')
        return 1;
    for (const xmlChar *s = char_at(when, 19); *s; s++)
        if (*s == '+' || *s == '-')
            return 1;
    return 0;
}

/* ------------------------------------------------------------------ the verdict */

typedef struct {
    IdList ids;
    StrList who, kinds, edit_resp, edit_rules, layout, labels, diagnostics;
    const xmlChar *application; /* the first application's id */
    int have_application;
    Buffer a, b;
    int undecided;
} State;

static void release(State *s) {
    free(s->ids.items);
    free(s->who.items);
    free(s->kinds.items);
    free(s->edit_resp.items);
    free(s->edit_rules.items);
    free(s->layout.items);
    free(s->labels.items);
    free(s->diagnostics.items);
    free(s->a.text);
    free(s->b.text);
}

/* The string value of ``n`` ("" for no element) in ``b``: 1; or 0 when only lxml can read it
 * (entity references: the verdict is then undecided, and visit() may stop there); or -1,
 * out of memory. */
static int read_text(const xmlNode *n, State *s, Buffer *b) {
    int r;
    if (n == NULL) {
        b->n = 0;
        r = append(b, EMPTY);
    } else {
        r = string_value(n, b);
    }
    if (r == -2) {
        s->undecided = 1;
        return 0;
    }
    return r == -1 ? -1 : 1;
}

static const xmlChar *parent_id(const xmlNode *n, State *s) {
    return n->parent != NULL && n->parent->type == XML_ELEMENT_NODE ? attr(n->parent, "id", XML_NS, &s->undecided)
                                                                      : NULL;
}

static int under(const xmlNode *n, const char *name) {
    for (const xmlNode *p = n->parent; p != NULL && p->type == XML_ELEMENT_NODE; p = p->parent)
        if (is_tei(p, name))
            return 1;
    return 0;
}

#define PUSH(call)                                                                                                    \
    do {                                                                                                              \
        if ((call) < 0)                                                                                               \
            return -1;                                                                                                \
    } while (0)

/* One element: 1 fine so far, 0 a rule fails, -1 out of memory. */
static int visit(const xmlNode *n, State *s) {
    const char *name = (const char *)n->name;
    const xmlChar *id = attr(n, "id", XML_NS, &s->undecided);
    switch (name[0]) {
    case 'a':
        if (strcmp(name, "application") == 0) {
            if (id != NULL && !s->have_application) {
                s->application = id;
                s->have_application = 1;
            }
            if (id != NULL)
                PUSH(push_id(&s->ids, id, K_APPLICATION));
        }
        return 1;
    case 't':
        if (strcmp(name, "taxonomy") == 0 && id != NULL)
            PUSH(push_id(&s->ids, id, K_TAXONOMY));
        return 1;
    case 'c':
        if (strcmp(name, "category") == 0) {
            if (id != NULL) {
                unsigned kind = K_CATEGORY;
                const xmlChar *taxonomy = is_tei(n->parent, "taxonomy") ? parent_id(n, s) : NULL;
                if (taxonomy != NULL && strcmp((const char *)taxonomy, "turn-kinds") == 0)
                    kind |= K_CATEGORY_KIND;
                if (taxonomy != NULL && strcmp((const char *)taxonomy, "repair-rules") == 0)
                    kind |= K_CATEGORY_RULE;
                PUSH(push_id(&s->ids, id, kind));
            }
        } else if (strcmp(name, "choice") == 0) {
            goto edit;
        }
        return 1;
    case 'p':
        if (strcmp(name, "person") == 0) {
            if (id != NULL) {
                unsigned kind = K_PERSON;
                if (is_tei(n->parent, "listPerson")) {
                    const xmlChar *type = attr(n->parent, "type", NULL, &s->undecided);
                    if (type != NULL && strcmp((const char *)type, "participants") == 0)
                        kind |= K_PARTICIPANT;
                }
                PUSH(push_id(&s->ids, id, kind));
            }
        } else if (strcmp(name, "ptr") == 0) {
            /* standOff/seg//ptr: the source layout */
            for (const xmlNode *p = n->parent; p != NULL && p->type == XML_ELEMENT_NODE; p = p->parent) {
                if (is_tei(p, "seg") && is_tei(p->parent, "standOff")) {
                    const xmlChar *target = attr(n, "target", NULL, &s->undecided);
                    /* a ptr without target cannot resolve */
                    PUSH(push_str(&s->layout, target != NULL ? target : EMPTY));
                    break;
                }
            }
        }
        return 1;
    case 'u':
        if (strcmp(name, "u") == 0) {
            if (id != NULL)
                PUSH(push_id(&s->ids, id, K_U));
            const xmlChar *who = attr(n, "who", NULL, &s->undecided);
            const xmlChar *ana = attr(n, "ana", NULL, &s->undecided);
            if (who != NULL)
                PUSH(push_str(&s->who, who));
            if (ana != NULL)
                PUSH(push_str(&s->kinds, ana));
        }
        return 1;
    case 's':
        if (strcmp(name, "seg") == 0) {
            int in_body = under(n, "body");
            if (id != NULL)
                PUSH(push_id(&s->ids, id, K_SEG | (in_body ? K_BODY_SEG : 0)));
            if (in_body) { /* seg-has-text */
                const xmlNode *first = n->children;
                if (first != NULL && first->type == XML_TEXT_NODE && first->content != NULL &&
                    first->content[0] != 0 && !is_xml_space(first->content[0]))
                    return 1; /* the usual paragraph: text from its first character */
                if (first_child(n, "surplus") != NULL)
                    return 1;
                int r = read_text(n, s, &s->a);
                return r <= 0 ? r : has_non_space(s->a.text);
            }
            /* standOff/seg//seg[@corresp]: a speaker label */
            const xmlChar *corresp = attr(n, "corresp", NULL, &s->undecided);
            if (corresp != NULL) {
                for (const xmlNode *p = n->parent; p != NULL && p->type == XML_ELEMENT_NODE; p = p->parent) {
                    if (is_tei(p, "seg") && is_tei(p->parent, "standOff")) {
                        PUSH(push_str(&s->labels, corresp));
                        break;
                    }
                }
            }
        } else if (strcmp(name, "surplus") == 0) {
            if (id != NULL)
                PUSH(push_id(&s->ids, id, K_SURPLUS));
            goto edit;
        } else if (strcmp(name, "supplied") == 0) {
            goto edit;
        }
        return 1;
    case 'n':
        if (strcmp(name, "note") == 0 && is_tei(n->parent, "listAnnotation") && is_tei(n->parent->parent, "standOff")) {
            const xmlChar *target = attr(n, "target", NULL, &s->undecided);
            if (target != NULL)
                PUSH(push_str(&s->diagnostics, target));
        } else if (strcmp(name, "note") == 0 && is_tei(n->parent, "div") && is_tei(n->parent->parent, "body")) {
            const xmlChar *type = attr(n, "type", NULL, &s->undecided);
            if (type != NULL && strcmp((const char *)type, "speaker") == 0) /* speaker-note-before-u */
                return is_tei(sibling_element(n->next, 1), "u");
            if (type != NULL && strcmp((const char *)type, "description") == 0) {
                /* description-notes-first: every element before it is a description (each
                 * description is visited: asking of the one just before it is enough) */
                const xmlNode *before = sibling_element(n->prev, 0);
                if (before == NULL)
                    return 1;
                const xmlChar *before_type = is_tei(before, "note") ? attr(before, "type", NULL, &s->undecided) : NULL;
                return before_type != NULL && strcmp((const char *)before_type, "description") == 0;
            }
        }
        return 1;
    case 'd':
        if (strcmp(name, "date") == 0) {
            const xmlChar *when = attr(n, "when", NULL, &s->undecided);
            if (is_tei(n->parent, "setting"))
                return is_day(when); /* event-date-is-day */
            if (when != NULL && char_length(when) > 10) {
                if (!has_zone(when))
                    return 0; /* datetime-has-zone (a warning) */
                int r = read_text(n, s, &s->a);
                return r <= 0 ? r : strcmp(s->a.text, (const char *)when) == 0; /* date-text-matches */
            }
        }
        return 1;
    default:
        return 1;
    }
edit: {
    /* resp-resolves (checked once the application is known), rule-resolves */
    const xmlChar *resp = attr(n, "resp", NULL, &s->undecided);
    const xmlChar *ana = attr(n, "ana", NULL, &s->undecided);
    PUSH(push_str(&s->edit_resp, resp != NULL ? resp : NULL));
    PUSH(push_str(&s->edit_rules, ana != NULL ? ana : EMPTY));
    if (strcmp(name, "choice") == 0) { /* choice-changes: string(tei:sic) != string(tei:corr) */
        int r = read_text(first_child(n, "sic"), s, &s->a);
        if (r <= 0)
            return r;
        r = read_text(first_child(n, "corr"), s, &s->b);
        if (r <= 0)
            return r;
        if (strcmp(s->a.text, s->b.text) == 0)
            return 0;
    }
    return 1;
}
}

/* 1: every assertion holds, 0: one fails, UNDECIDED, or -2: out of memory */
static int verdict(const xmlNode *root, State *s) {
    if (!is_tei(root, "TEI"))
        return UNDECIDED;
    /* every element, in document order */
    const xmlNode *cur = root;
    while (cur != NULL) {
        if (cur->type == XML_ELEMENT_NODE && cur->ns != NULL && is_ns(cur->ns->href, TEI_NS)) {
            int r = visit(cur, s);
            if (r < 0)
                return -2;
            if (r == 0)
                return s->undecided ? UNDECIDED : 0;
        }
        if (cur->type == XML_ELEMENT_NODE && cur->children != NULL) {
            cur = cur->children;
            continue;
        }
        while (cur != NULL && cur != root && cur->next == NULL)
            cur = cur->parent;
        if (cur == NULL || cur == root)
            break;
        cur = cur->next;
    }
    if (s->undecided)
        return UNDECIDED;

    IdTable table = {NULL, 0};
    int built = build_table(&table, &s->ids);
    if (built <= 0) {
        free(table.slots);
        return built < 0 ? -2 : 0; /* unique-id */
    }
    int holds = 1;
    /* resp-resolves: @resp = concat('#', the application's id) */
    const xmlChar *app = s->have_application ? s->application : EMPTY;
    for (size_t i = 0; holds && i < s->edit_resp.n; i++) {
        const xmlChar *resp = s->edit_resp.items[i];
        holds = resp != NULL && resp[0] == '#' && strcmp((const char *)resp + 1, (const char *)app) == 0;
    }
    holds = holds && all_resolve(&table, &s->who, K_PARTICIPANT, 1) /* who-resolves */
            && all_marked(&s->ids, K_PARTICIPANT)                    /* participant-speaks (a warning) */
            && all_resolve(&table, &s->kinds, K_CATEGORY_KIND, 0)    /* kind-resolves */
            && all_resolve(&table, &s->edit_rules, K_CATEGORY_RULE, 0) /* rule-resolves */
            && all_resolve(&table, &s->layout, K_SEG | K_SURPLUS, 1) /* layout-resolves */
            && all_marked(&s->ids, K_BODY_SEG)                       /* paragraph-in-layout */
            && all_resolve(&table, &s->labels, K_U, 0)               /* label-resolves */
            && all_resolve(&table, &s->diagnostics, K_SEG | K_SURPLUS, 0); /* diagnostic-resolves */
    free(table.slots);
    return holds;
}

/* verdict() as a Python int (its memory released), or NULL out of memory */
static PyObject *verdict_of(const xmlNode *root) {
    State s;
    memset(&s, 0, sizeof s);
    int r = verdict(root, &s);
    release(&s);
    if (r == -2)
        return PyErr_NoMemory();
    return PyLong_FromLong(r);
}

static PyObject *check(PyObject *module, PyObject *root) {
    (void)module;
    if (!PyObject_TypeCheck(root, element_type)) {
        PyErr_SetString(PyExc_TypeError, "check() takes an lxml element (a tree's root)");
        return NULL;
    }
    const xmlNode *node = ((LxmlElement *)root)->c_node;
    return node == NULL ? PyLong_FromLong(UNDECIDED) : verdict_of(node);
}

/* ================================================================== the RELAX NG structure
 *
 * structure(root) says 1 when the document has one of the shapes our RELAX NG accepts
 * (schemas/transcript-tei.rng), checked exactly: every element, its place, its attributes
 * and their values, its text. It never says a document is invalid: anything it does not
 * recognise, or cannot be sure libxml2 accepts (a comment, an entity reference, a value in
 * a form we never write, such as a date with a zone or an id outside ASCII), makes it say
 * -1, and libxml2 then validates the document and explains what fails. So it must accept
 * nothing RELAX NG rejects (the tests run both on the exports of every test document and
 * on random edits of them), and it should accept every document the exporter writes (or
 * those are validated at libxml2's pace). Change the RELAX NG and this section together.
 *
 * Each function below checks one element of the schema (named as there) and returns 1 when
 * it matches, 0 when it cannot say.
 */

/* "Elements only" content: the next element child from ``n`` on (NULL at the end); fails
 * (*ok = 0) on text that is not whitespace and on anything but elements and text, which
 * libxml2 may see differently (comments, processing instructions, entity references). */
static const xmlNode *element_from(const xmlNode *n, int *ok) {
    for (; n != NULL; n = n->next) {
        if (n->type == XML_ELEMENT_NODE)
            return n;
        if (n->type != XML_TEXT_NODE || (n->content != NULL && has_non_space((const char *)n->content))) {
            *ok = 0;
            return NULL;
        }
    }
    return NULL;
}

/* a cursor over an element's element children */
typedef struct {
    const xmlNode *at; /* the next element child, NULL at the end */
    int ok;
} Kids;

static Kids kids_of(const xmlNode *n) {
    Kids k = {NULL, 1};
    k.at = element_from(n->children, &k.ok);
    return k;
}

static void advance(Kids *k) { k->at = element_from(k->at->next, &k->ok); }

/* whether the next child is the TEI element ``name`` (without taking it) */
static int next_is(const Kids *k, const char *name) { return k->ok && is_tei(k->at, name); }

/* takes the next child if it is ``name`` and ``check`` accepts it; 1 taken, 0 not */
typedef int (*Shape)(const xmlNode *);

static int take(Kids *k, const char *name, Shape check) {
    if (!next_is(k, name) || !check(k->at))
        return 0;
    advance(k);
    return 1;
}

static int at_end(const Kids *k) { return k->ok && k->at == NULL; }

/* an element with no attributes and one element child, ``name`` */
static int only_child(const xmlNode *n, const char *name, Shape check) {
    if (n->properties != NULL)
        return 0;
    Kids k = kids_of(n);
    return take(&k, name, check) && at_end(&k);
}

/* the element children: one or more ``name`` */
static int one_or_more(const xmlNode *n, const char *name, Shape check) {
    Kids k = kids_of(n);
    if (!take(&k, name, check))
        return 0;
    while (next_is(&k, name))
        if (!take(&k, name, check))
            return 0;
    return at_end(&k);
}

/* --- values (each accepts a subset of its datatype's lexical space: the forms we write) */

typedef int (*ValueCheck)(const xmlChar *);

static int any_value(const xmlChar *s) {
    (void)s;
    return 1;
}

/* text.nonEmpty: a token other than the empty one (a character that is not XML space) */
static int non_empty(const xmlChar *s) { return has_non_space((const char *)s); }

static int is_ascii_letter(xmlChar c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_digit(xmlChar c) { return c >= '0' && c <= '9'; }

/* the length of the Russian letter at ``s`` in UTF-8 (А-я, Ё, ё: letters to every edition
 * of XML, and to libxml2), or 0 */
static int russian_letter(const xmlChar *s) {
    if (s[0] == 0xD0)
        return (s[1] >= 0x90 && s[1] <= 0xBF) || s[1] == 0x81 ? 2 : 0;
    if (s[0] == 0xD1)
        return (s[1] >= 0x80 && s[1] <= 0x8F) || s[1] == 0x91 ? 2 : 0;
    return 0;
}

/* NCName, in ASCII and Russian letters: a letter or "_", then letters, digits, ".", "-", "_"
 * (person ids are made from names: "в-путин") */
static int ncname(const xmlChar *s) {
    int first = 1;
    while (*s) {
        int len = russian_letter(s);
        if (len == 0 && !is_ascii_letter(*s) && *s != '_' && (first || (!is_digit(*s) && *s != '.' && *s != '-')))
            return 0;
        s += len ? len : 1;
        first = 0;
    }
    return !first;
}

/* NCName with the pattern [\w.\-]+ (a profile's name): XSD's \w has no "_" (punctuation) */
static int profile_name(const xmlChar *s) {
    if (!is_ascii_letter(*s))
        return 0;
    for (s++; *s; s++)
        if (!is_ascii_letter(*s) && !is_digit(*s) && *s != '.' && *s != '-')
            return 0;
    return 1;
}

/* [\d]+[a-z]*[\d]*(\.[\d]+[a-z]*[\d]*){0,3}, in ASCII, no space */
static int version_number(const xmlChar *s) {
    for (int part = 0; part < 4; part++) {
        if (!is_digit(*s))
            return 0;
        while (is_digit(*s))
            s++;
        while (*s >= 'a' && *s <= 'z')
            s++;
        while (is_digit(*s))
            s++;
        if (*s == 0)
            return 1;
        if (*s != '.')
            return 0;
        s++;
    }
    return 0;
}

/* language: a two- or three-letter ISO 639 code alone ("en", "ru") */
static int language(const xmlChar *s) {
    size_t n = 0;
    for (; s[n]; n++)
        if (!is_ascii_letter(s[n]))
            return 0;
    return n == 2 || n == 3;
}

/* ``n`` digits from ``s`` as a number, or -1 */
static int digits(const xmlChar *s, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!is_digit(s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* YYYY-MM-DD, a day of the Gregorian calendar, year 0001 to 9999; the length read or 0 */
static int day_part(const xmlChar *s) {
    static const int month_days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int year = digits(s, 4), month, day;
    if (year < 1 || s[4] != '-' || (month = digits(s + 5, 2)) < 1 || month > 12 || s[7] != '-')
        return 0;
    day = digits(s + 8, 2);
    if (day < 1 || day > month_days[month - 1])
        return 0;
    if (month == 2 && day == 29 && !((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        return 0;
    return 10;
}

/* xsd:date, without a zone */
static int date(const xmlChar *s) { return day_part(s) == 10 && s[10] == 0; }

/* xsd:dateTime: YYYY-MM-DDThh:mm:ss, then nothing, Z, or an offset +hh:mm / -hh:mm (under 14 h) */
static int date_time(const xmlChar *s) {
    if (day_part(s) != 10 || s[10] != 'T')
        return 0;
    const xmlChar *t = s + 11;
    int h = digits(t, 2), m, sec;
    if (h < 0 || h > 23 || t[2] != ':' || (m = digits(t + 3, 2)) < 0 || m > 59 || t[5] != ':')
        return 0;
    sec = digits(t + 6, 2);
    if (sec < 0 || sec > 59)
        return 0;
    const xmlChar *z = t + 8;
    if (*z == 0 || (z[0] == 'Z' && z[1] == 0))
        return 1;
    if (*z != '+' && *z != '-')
        return 0;
    h = digits(z + 1, 2);
    if (h < 0 || h > 13 || z[3] != ':')
        return 0;
    m = digits(z + 4, 2);
    return m >= 0 && m <= 59 && z[6] == 0;
}

/* att.when: xsd:date or xsd:dateTime */
static int when(const xmlChar *s) { return date(s) || date_time(s); }

/* nonNegativeInteger and positiveInteger: one to nine ASCII digits */
static int non_negative(const xmlChar *s) {
    size_t n = 0;
    for (; s[n]; n++)
        if (!is_digit(s[n]))
            return 0;
    return n >= 1 && n <= 9;
}

static int positive(const xmlChar *s) {
    if (!non_negative(s))
        return 0;
    for (; *s; s++)
        if (*s != '0')
            return 1;
    return 0;
}

/* a character of an RFC 3986 path, query or fragment: unreserved, sub-delims, ":", "@", "/", "?" */
static int uri_char(xmlChar c) {
    return is_ascii_letter(c) || is_digit(c) || (c != 0 && strchr("-._~!$&'()*+,;=:@/?", c) != NULL);
}

static int is_hex(xmlChar c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* anyURI: an absolute http(s) URI, RFC 3986, in ASCII (the form the parser keeps) */
static int http_uri(const xmlChar *s) {
    if (strncmp((const char *)s, "http://", 7) == 0)
        s += 7;
    else if (strncmp((const char *)s, "https://", 8) == 0)
        s += 8;
    else
        return 0;
    const xmlChar *host = s;
    while (is_ascii_letter(*s) || is_digit(*s) || *s == '.' || *s == '-')
        s++;
    if (s == host)
        return 0;
    if (*s == ':') {
        s++;
        const xmlChar *port = s;
        while (is_digit(*s))
            s++;
        if (s == port || s - port > 5)
            return 0;
    }
    if (*s != 0 && *s != '/' && *s != '?' && *s != '#')
        return 0;
    int fragment = 0;
    for (; *s; s++) {
        if (*s == '#') {
            if (fragment)
                return 0; /* one fragment */
            fragment = 1;
        } else if (*s == '%') {
            if (!is_hex(s[1]) || !is_hex(s[2]))
                return 0;
            s += 2;
        } else if (!uri_char(*s)) {
            return 0;
        }
    }
    return 1;
}

/* --- attributes */

typedef struct {
    const char *name;
    int in_xml_ns;   /* xml:id, xml:lang, xml:space */
    int required;
    const char *fixed; /* the one value allowed, or NULL */
    ValueCheck check;  /* else a check of the value */
} AttrSpec;

/* the value of an attribute node: its one text, "" when it has none, NULL otherwise */
static const xmlChar *attr_value(const xmlAttr *a) {
    const xmlNode *value = a->children;
    if (value == NULL)
        return EMPTY;
    if (value->type != XML_TEXT_NODE || value->next != NULL || value->content == NULL)
        return NULL;
    return value->content;
}

/* every attribute of ``n`` is one of ``specs`` and has a value it allows; every required
 * one is there (at most 8 specs) */
static int attrs_are(const xmlNode *n, const AttrSpec *specs, int count) {
    unsigned seen = 0;
    for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
        int found = -1;
        for (int i = 0; i < count; i++) {
            if (!same_name(a->name, specs[i].name))
                continue;
            if (specs[i].in_xml_ns ? (a->ns != NULL && is_ns(a->ns->href, XML_NS)) : a->ns == NULL)
                found = i;
            break;
        }
        if (found < 0)
            return 0;
        const xmlChar *v = attr_value(a);
        if (v == NULL)
            return 0;
        if (specs[found].fixed != NULL ? strcmp((const char *)v, specs[found].fixed) != 0 : !specs[found].check(v))
            return 0;
        seen |= 1u << found;
    }
    for (int i = 0; i < count; i++)
        if (specs[i].required && !(seen & (1u << i)))
            return 0;
    return 1;
}

#define ATTRS(n, ...)                                                                                              \
    do {                                                                                                           \
        static const AttrSpec specs_[] = {__VA_ARGS__};                                                            \
        if (!attrs_are((n), specs_, (int)(sizeof specs_ / sizeof specs_[0])))                                      \
            return 0;                                                                                              \
    } while (0)
#define NO_ATTRS(n)                                                                                                \
    do {                                                                                                           \
        if ((n)->properties != NULL)                                                                               \
            return 0;                                                                                              \
    } while (0)
#define XMLID {"id", 1, 1, NULL, ncname}

/* --- text */

/* only text children (no element, comment or entity reference), and the value ``check``
 * accepts (the text nodes joined: libxml2 joins adjacent ones, so a parsed element has one) */
static int text_is(const xmlNode *n, ValueCheck check) {
    const xmlNode *c = n->children;
    if (c == NULL)
        return check(EMPTY);
    if (c->type != XML_TEXT_NODE || c->content == NULL)
        return 0;
    if (c->next == NULL)
        return check(c->content);
    /* several text nodes (a tree built through lxml's API): any text, or some non-space */
    if (check != any_value && check != non_empty)
        return 0;
    int some = 0;
    for (; c != NULL; c = c->next) {
        if (c->type != XML_TEXT_NODE || c->content == NULL)
            return 0;
        some |= non_empty(c->content);
    }
    return check == any_value || some;
}

/* an element with no attributes and text that ``check`` accepts */
static int plain(const xmlNode *n, ValueCheck check) {
    NO_ATTRS(n);
    return text_is(n, check);
}

static int plain_non_empty(const xmlNode *n) { return plain(n, non_empty); }
static int plain_any(const xmlNode *n) { return plain(n, any_value); }

/* --- the elements, as the schema defines them */

/* an element of text only: its attributes, and the check of its text */
#define TEXT_ELEMENT(fn, text_check, ...)                                                                          \
    static int fn(const xmlNode *n) {                                                                              \
        ATTRS(n, __VA_ARGS__);                                                                                     \
        return text_is(n, text_check);                                                                             \
    }

TEXT_ELEMENT(s_date, non_empty, {"when", 0, 1, NULL, when})

TEXT_ELEMENT(s_title, non_empty, {"type", 0, 0, "untitled", NULL})

TEXT_ELEMENT(s_idno_number, non_empty, {"type", 0, 1, "number", NULL})

TEXT_ELEMENT(s_idno_uri, http_uri, {"type", 0, 1, "URI", NULL})

TEXT_ELEMENT(s_idno_file, any_value, {"type", 0, 1, "file", NULL})

TEXT_ELEMENT(s_ref, non_empty, {"target", 0, 1, NULL, http_uri})

static int s_title_stmt(const xmlNode *n) { return only_child(n, "title", s_title); }

/* an optional child: absent, or present and accepted */
#define OPTIONAL(k, name, check)                                                                                   \
    do {                                                                                                           \
        if (next_is((k), (name)) && !take((k), (name), (check)))                                                   \
            return 0;                                                                                              \
    } while (0)

static int s_publication_stmt(const xmlNode *n) {
    NO_ATTRS(n);
    Kids k = kids_of(n);
    if (!take(&k, "publisher", plain_non_empty) && !take(&k, "authority", plain_non_empty))
        return 0;
    OPTIONAL(&k, "date", s_date);
    /* two optional idno, told apart by their type, the number first */
    (void)take(&k, "idno", s_idno_number);
    OPTIONAL(&k, "idno", s_idno_uri);
    return at_end(&k);
}

static int s_bibl(const xmlNode *n) {
    NO_ATTRS(n);
    Kids k = kids_of(n);
    if (next_is(&k, "note"))
        return take(&k, "note", plain_non_empty) && at_end(&k);
    OPTIONAL(&k, "title", plain_non_empty);
    OPTIONAL(&k, "publisher", plain_non_empty);
    OPTIONAL(&k, "date", s_date);
    OPTIONAL(&k, "ref", s_ref);
    OPTIONAL(&k, "idno", s_idno_file);
    return at_end(&k);
}

static int s_source_desc(const xmlNode *n) { return only_child(n, "bibl", s_bibl); }

static int s_file_desc(const xmlNode *n) {
    NO_ATTRS(n);
    Kids k = kids_of(n);
    return take(&k, "titleStmt", s_title_stmt) && take(&k, "publicationStmt", s_publication_stmt) &&
           take(&k, "sourceDesc", s_source_desc) && at_end(&k);
}

TEXT_ELEMENT(s_profile_desc_of_application, profile_name, {"type", 0, 1, "profile", NULL})

static int s_application(const xmlNode *n) {
    ATTRS(n, XMLID, {"ident", 0, 1, NULL, ncname}, {"version", 0, 1, NULL, version_number});
    Kids k = kids_of(n);
    if (!take(&k, "label", plain_non_empty))
        return 0;
    OPTIONAL(&k, "desc", s_profile_desc_of_application);
    return at_end(&k);
}

static int s_app_info(const xmlNode *n) { return only_child(n, "application", s_application); }

static int s_correction(const xmlNode *n) {
    ATTRS(n, {"method", 0, 1, "markup", NULL});
    Kids k = kids_of(n);
    return take(&k, "p", plain_non_empty) && at_end(&k);
}

static int s_editorial_decl(const xmlNode *n) { return only_child(n, "correction", s_correction); }

static int s_category(const xmlNode *n) {
    ATTRS(n, XMLID);
    Kids k = kids_of(n);
    return take(&k, "catDesc", plain_non_empty) && at_end(&k);
}

static int s_taxonomy(const xmlNode *n) {
    ATTRS(n, XMLID);
    return one_or_more(n, "category", s_category);
}

static int s_class_decl(const xmlNode *n) {
    NO_ATTRS(n);
    return one_or_more(n, "taxonomy", s_taxonomy);
}

static int s_encoding_desc(const xmlNode *n) {
    NO_ATTRS(n);
    Kids k = kids_of(n);
    return take(&k, "appInfo", s_app_info) && take(&k, "editorialDecl", s_editorial_decl) &&
           take(&k, "classDecl", s_class_decl) && at_end(&k);
}

static int s_abstract(const xmlNode *n) {
    NO_ATTRS(n);
    return one_or_more(n, "p", plain_non_empty);
}

TEXT_ELEMENT(s_term, non_empty, {"type", 0, 1, "genre", NULL})

static int s_keywords(const xmlNode *n) { return only_child(n, "term", s_term); }

static int s_text_class(const xmlNode *n) { return only_child(n, "keywords", s_keywords); }

TEXT_ELEMENT(s_language, non_empty, {"ident", 0, 1, NULL, language})

static int s_lang_usage(const xmlNode *n) { return only_child(n, "language", s_language); }

static int s_affiliation(const xmlNode *n) {
    NO_ATTRS(n);
    Kids k = kids_of(n);
    if (take(&k, "roleName", plain_non_empty))
        OPTIONAL(&k, "orgName", plain_non_empty);
    else if (!take(&k, "orgName", plain_non_empty))
        return 0;
    return at_end(&k);
}

static int s_person(const xmlNode *n) {
    ATTRS(n, XMLID, {"role", 0, 0, "anonymous", NULL});
    Kids k = kids_of(n);
    if (next_is(&k, "persName")) {
        const xmlNode *name = k.at;
        advance(&k);
        if (at_end(&k)) /* the second choice: a name, any text */
            return plain_any(name);
        if (!plain_non_empty(name))
            return 0;
    }
    return take(&k, "affiliation", s_affiliation) && at_end(&k);
}

static int list_person(const xmlNode *n, const char *type) {
    const xmlChar *t = NULL;
    if (n->properties == NULL || n->properties->next != NULL || strcmp((const char *)n->properties->name, "type") != 0 ||
        n->properties->ns != NULL || (t = attr_value(n->properties)) == NULL || strcmp((const char *)t, type) != 0)
        return 0;
    return one_or_more(n, "person", s_person);
}

static int s_participants(const xmlNode *n) { return list_person(n, "participants"); }
static int s_mentioned(const xmlNode *n) { return list_person(n, "mentioned"); }

static int s_partic_desc(const xmlNode *n) {
    NO_ATTRS(n);
    Kids k = kids_of(n);
    if (take(&k, "listPerson", s_participants))
        OPTIONAL(&k, "listPerson", s_mentioned);
    else if (!take(&k, "listPerson", s_mentioned))
        return 0;
    return at_end(&k);
}

TEXT_ELEMENT(s_time, non_empty, {"when", 0, 1, NULL, date_time})

static int s_setting(const xmlNode *n) {
    NO_ATTRS(n);
    Kids k = kids_of(n);
    OPTIONAL(&k, "placeName", plain_non_empty);
    OPTIONAL(&k, "date", s_date);
    OPTIONAL(&k, "time", s_time);
    OPTIONAL(&k, "activity", plain_non_empty);
    return at_end(&k);
}

static int s_setting_desc(const xmlNode *n) { return only_child(n, "setting", s_setting); }

static int s_profile_desc(const xmlNode *n) {
    NO_ATTRS(n);
    Kids k = kids_of(n);
    OPTIONAL(&k, "abstract", s_abstract);
    OPTIONAL(&k, "textClass", s_text_class);
    OPTIONAL(&k, "langUsage", s_lang_usage);
    OPTIONAL(&k, "particDesc", s_partic_desc);
    OPTIONAL(&k, "settingDesc", s_setting_desc);
    return at_end(&k);
}

static int s_tei_header(const xmlNode *n) {
    NO_ATTRS(n);
    Kids k = kids_of(n);
    return take(&k, "fileDesc", s_file_desc) && take(&k, "encodingDesc", s_encoding_desc) &&
           take(&k, "profileDesc", s_profile_desc) && at_end(&k);
}

/* --- the text */

/* att.repair (resp, ana, n) with reason, and xml:id where ``with_id`` */
static int s_surplus(const xmlNode *n) {
    ATTRS(n, {"reason", 0, 1, NULL, non_empty}, {"resp", 0, 1, NULL, any_value}, {"ana", 0, 1, NULL, any_value},
          {"n", 0, 1, NULL, non_negative}, {"id", 1, 0, NULL, ncname});
    return text_is(n, any_value);
}

static int s_supplied(const xmlNode *n) {
    ATTRS(n, {"reason", 0, 1, NULL, non_empty}, {"resp", 0, 1, NULL, any_value}, {"ana", 0, 1, NULL, any_value},
          {"n", 0, 1, NULL, non_negative});
    return text_is(n, any_value);
}

static int s_choice(const xmlNode *n) {
    ATTRS(n, {"resp", 0, 1, NULL, any_value}, {"ana", 0, 1, NULL, any_value}, {"n", 0, 1, NULL, non_negative});
    Kids k = kids_of(n);
    return take(&k, "sic", plain_any) && take(&k, "corr", plain_any) && at_end(&k);
}

/* vocal, kinesic, incident: a desc */
static int s_described(const xmlNode *n) { return only_child(n, "desc", plain_non_empty); }

TEXT_ELEMENT(s_stage_note, non_empty, {"type", 0, 1, "stage", NULL})

/* a paragraph: text, edits and stage directions in any order */
static int s_seg(const xmlNode *n) {
    ATTRS(n, XMLID);
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (c->type == XML_TEXT_NODE)
            continue;
        if (c->type != XML_ELEMENT_NODE || c->ns == NULL || !is_ns(c->ns->href, TEI_NS))
            return 0;
        const char *name = (const char *)c->name;
        Shape check = strcmp(name, "surplus") == 0    ? s_surplus
                      : strcmp(name, "choice") == 0   ? s_choice
                      : strcmp(name, "supplied") == 0 ? s_supplied
                      : strcmp(name, "note") == 0     ? s_stage_note
                      : (strcmp(name, "vocal") == 0 || strcmp(name, "kinesic") == 0 || strcmp(name, "incident") == 0)
                          ? s_described
                          : NULL;
        if (check == NULL || !check(c))
            return 0;
    }
    return 1;
}

static int s_u(const xmlNode *n) {
    ATTRS(n, XMLID, {"who", 0, 0, NULL, any_value}, {"ana", 0, 0, NULL, any_value});
    Kids k = kids_of(n);
    while (next_is(&k, "seg"))
        if (!take(&k, "seg", s_seg))
            return 0;
    return at_end(&k);
}

static int is_description_or_speaker(const xmlChar *s) {
    return strcmp((const char *)s, "description") == 0 || strcmp((const char *)s, "speaker") == 0;
}

TEXT_ELEMENT(s_div_note, non_empty, {"type", 0, 1, NULL, is_description_or_speaker})

static int s_div(const xmlNode *n) {
    ATTRS(n, {"type", 0, 1, "transcript", NULL});
    Kids k = kids_of(n);
    while (k.ok && k.at != NULL)
        if (!take(&k, "u", s_u) && !take(&k, "note", s_div_note))
            return 0;
    return at_end(&k);
}

static int s_body(const xmlNode *n) { return only_child(n, "div", s_div); }

static int s_text(const xmlNode *n) { return only_child(n, "body", s_body); }

/* --- the standOff */

static int s_ptr(const xmlNode *n) {
    ATTRS(n, {"target", 0, 1, NULL, any_value});
    return n->children == NULL;
}

static int is_block_kind(const xmlChar *s) {
    static const char *const kinds[] = {"front-matter", "dateline", "number", "title",   "lead",
                                        "place",        "note",     "label",  "trailer", "chrome"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp((const char *)s, kinds[i]) == 0)
            return 1;
    return 0;
}

TEXT_ELEMENT(s_layout_block, any_value, {"type", 0, 1, NULL, is_block_kind}, XMLID, {"corresp", 0, 0, NULL, any_value})

static int s_layout(const xmlNode *n) {
    ATTRS(n, {"type", 0, 1, "source-layout", NULL}, {"space", 1, 1, "preserve", NULL});
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (c->type == XML_TEXT_NODE)
            continue;
        if (is_tei(c, "ptr") ? !s_ptr(c) : !is_tei(c, "seg") || !s_layout_block(c))
            return 0;
    }
    return 1;
}

static int is_severity(const xmlChar *s) {
    return strcmp((const char *)s, "warning") == 0 || strcmp((const char *)s, "error") == 0;
}

static int s_diagnostic(const xmlNode *n) {
    ATTRS(n, {"type", 0, 1, NULL, is_severity}, {"subtype", 0, 1, NULL, ncname}, {"n", 0, 0, NULL, positive},
          {"target", 0, 0, NULL, any_value});
    return text_is(n, non_empty);
}

static int s_list_annotation(const xmlNode *n) {
    ATTRS(n, {"type", 0, 1, "diagnostics", NULL});
    return one_or_more(n, "note", s_diagnostic);
}

static int s_stand_off(const xmlNode *n) {
    NO_ATTRS(n);
    Kids k = kids_of(n);
    if (!take(&k, "seg", s_layout))
        return 0;
    OPTIONAL(&k, "listAnnotation", s_list_annotation);
    return at_end(&k);
}

static int s_tei(const xmlNode *n) {
    ATTRS(n, {"lang", 1, 0, NULL, language});
    Kids k = kids_of(n);
    return take(&k, "teiHeader", s_tei_header) && take(&k, "text", s_text) && take(&k, "standOff", s_stand_off) &&
           at_end(&k);
}

static PyObject *structure(PyObject *module, PyObject *root) {
    (void)module;
    if (!PyObject_TypeCheck(root, element_type)) {
        PyErr_SetString(PyExc_TypeError, "structure() takes an lxml element (a tree's root)");
        return NULL;
    }
    const xmlNode *node = ((LxmlElement *)root)->c_node;
    int accepted = node != NULL && is_tei(node, "TEI") && s_tei(node);
    return PyLong_FromLong(accepted ? 1 : UNDECIDED);
}

#include "_read_tei.h"

/* read_tei() on a bytes argument: 0 and *doc (NULL where it cannot read them), or -1 with
 * an exception set */
static int read_argument(PyObject *data, const char *function, const xmlNode **doc) {
    if (!PyBytes_Check(data)) {
        PyErr_Format(PyExc_TypeError, "%s() takes bytes", function);
        return -1;
    }
    int oom;
    *doc = read_tei(PyBytes_AS_STRING(data), (size_t)PyBytes_GET_SIZE(data), &oom);
    if (oom) {
        trim_tree();
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static PyObject *accept(PyObject *module, PyObject *data) {
    (void)module;
    const xmlNode *doc;
    if (read_argument(data, "accept", &doc) < 0)
        return NULL;
    const xmlNode *root = doc == NULL ? NULL : doc->children;
    int accepted = root != NULL && is_tei(root, "TEI") && s_tei(root);
    PyObject *r = accepted ? verdict_of(root) : NULL;
    trim_tree();
    if (!accepted)
        return PyLong_FromLong(UNDECIDED);
    if (r == NULL || PyLong_AsLong(r) == 1)
        return r;
    Py_DECREF(r);
    return PyLong_FromLong(UNDECIDED); /* a rule fails: the Schematron says which */
}

/* The tree read_tei() builds, for the tests to compare with libxml2's: an element as
 * (namespace or None, name, ((namespace or None, name, value), ...), (children...)), a text
 * as a str; None where it cannot read the bytes. */
static PyObject *tree_of(const xmlNode *n) {
    if (n->type == XML_TEXT_NODE)
        return PyUnicode_FromString((const char *)n->content);
    PyObject *attrs = PyList_New(0), *kids = PyList_New(0);
    if (attrs == NULL || kids == NULL)
        goto fail;
    for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
        const xmlChar *v = attr_value(a);
        PyObject *item = Py_BuildValue("(zss)", a->ns ? (const char *)a->ns->href : NULL, (const char *)a->name,
                                       v ? (const char *)v : "");
        if (item == NULL || PyList_Append(attrs, item) < 0) {
            Py_XDECREF(item);
            goto fail;
        }
        Py_DECREF(item);
    }
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (c->parent != n || (c->next != NULL && c->next->prev != c)) {
            PyErr_SetString(PyExc_AssertionError, "broken links");
            goto fail;
        }
        PyObject *item = tree_of(c);
        if (item == NULL || PyList_Append(kids, item) < 0) {
            Py_XDECREF(item);
            goto fail;
        }
        Py_DECREF(item);
    }
    PyObject *t_attrs = PyList_AsTuple(attrs), *t_kids = PyList_AsTuple(kids);
    Py_DECREF(attrs);
    Py_DECREF(kids);
    if (t_attrs == NULL || t_kids == NULL) {
        Py_XDECREF(t_attrs);
        Py_XDECREF(t_kids);
        return NULL;
    }
    return Py_BuildValue("(zsNN)", n->ns ? (const char *)n->ns->href : NULL, (const char *)n->name, t_attrs, t_kids);
fail:
    Py_XDECREF(attrs);
    Py_XDECREF(kids);
    return NULL;
}

static PyObject *read_bytes(PyObject *module, PyObject *data) {
    (void)module;
    const xmlNode *doc;
    if (read_argument(data, "read", &doc) < 0)
        return NULL;
    PyObject *tree = doc == NULL ? Py_NewRef(Py_None) : tree_of(doc->children);
    trim_tree();
    return tree;
}

static PyMethodDef methods[] = {
    {"check", check, METH_O,
     "check(root) -> 1 if every assertion of our Schematron holds, 0 if one fails, -1 if undecided."},
    {"structure", structure, METH_O,
     "structure(root) -> 1 if the document has a shape our RELAX NG accepts, -1 if it cannot say."},
    {"accept", accept, METH_O,
     "accept(data) -> 1 if our own reading of the bytes finds a document that libxml2 reads, our RELAX NG "
     "accepts and every assertion of our Schematron holds; -1 if it cannot say (libxml2 must read them)."},
    {"read", read_bytes, METH_O, "read(data) -> the tree our own reading builds (for the tests), or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "exporters._rules", "The native verdicts of our Schematron rules and RELAX NG.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__rules(void) {
    PyObject *etree = PyImport_ImportModule("lxml.etree");
    if (etree == NULL)
        return NULL;
    PyObject *type = PyObject_GetAttrString(etree, "_Element");
    Py_DECREF(etree);
    if (type == NULL)
        return NULL;
    if (!PyType_Check(type)) {
        Py_DECREF(type);
        PyErr_SetString(PyExc_ImportError, "lxml.etree._Element is not a type");
        return NULL;
    }
    element_type = (PyTypeObject *)type; /* kept for the life of the process */
    return PyModule_Create(&module_def);
}
