/*
 * The native verdict of our Schematron rules (schemas/transcript-tei.sch), in C.
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

static int is_tei(const xmlNode *n, const char *name) {
    return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL &&
           strcmp((const char *)n->ns->href, TEI_NS) == 0 && strcmp((const char *)n->name, name) == 0;
}

static const xmlChar EMPTY[] = "";

/* An attribute's value, NULL when absent; sets *undecided when the value is not one plain
 * text (entity references), which only the Python verdict reads the way lxml does. */
static const xmlChar *attr(const xmlNode *n, const char *name, const char *ns, int *undecided) {
    for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
        if (strcmp((const char *)a->name, name) != 0)
            continue;
        if (ns == NULL ? a->ns != NULL : (a->ns == NULL || strcmp((const char *)a->ns->href, ns) != 0))
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
        if (cur->type == XML_ELEMENT_NODE && cur->ns != NULL && strcmp((const char *)cur->ns->href, TEI_NS) == 0) {
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

static PyObject *check(PyObject *module, PyObject *root) {
    (void)module;
    if (!PyObject_TypeCheck(root, element_type)) {
        PyErr_SetString(PyExc_TypeError, "check() takes an lxml element (a tree's root)");
        return NULL;
    }
    const xmlNode *node = ((LxmlElement *)root)->c_node;
    if (node == NULL)
        return PyLong_FromLong(UNDECIDED);
    State s;
    memset(&s, 0, sizeof s);
    int r = verdict(node, &s);
    release(&s);
    if (r == -2)
        return PyErr_NoMemory();
    return PyLong_FromLong(r);
}

static PyMethodDef methods[] = {
    {"check", check, METH_O,
     "check(root) -> 1 if every assertion of our Schematron holds, 0 if one fails, -1 if undecided."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "exporters._rules", "The native verdict of our Schematron rules.", -1, methods,
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
