/*
 * Our own reading of the bytes of a TEI file, for the forms our exporter writes: included
 * by _rules.c, whose accept() runs structure() and check() on the tree it builds, so that
 * validating our own files need not wait for libxml2 to build and free a tree of them.
 *
 * read_tei() builds, from the bytes, the tree libxml2 builds from them with our parser's
 * options (no DTD, no entity expansion, blank text kept), as far as structure() and check()
 * read one: elements with their names and namespaces, attributes in order with their
 * values, one text node for each run of character data between two tags (the predefined
 * entities replaced, as libxml2 does), and the parent, child and sibling links. It reads a
 * subset of XML 1.0 that holds everything we write, and says it cannot read anything else
 * (NULL), for the caller to hand the bytes to libxml2, which reads them or says what is
 * wrong. What it reads, libxml2 reads without error into the same tree: the tests compare
 * the two on every document we write and on random edits of their bytes.
 *
 * It says it cannot read:
 * - anything but the XML declaration we write, then the root element with blank space
 *   around it (no BOM, no DOCTYPE, no comment, no processing instruction, no CDATA
 *   section, no character reference);
 * - bytes that are not UTF-8, or a character XML does not allow, or a carriage return
 *   (which libxml2 would turn into a line feed);
 * - a name outside ASCII letters, digits, '_', '-' and '.', or longer than 1,000 bytes;
 *   a prefix but xml: on an attribute; any prefix on an element; a namespace declaration
 *   but the default one for the TEI namespace;
 * - an attribute twice on an element, or a tab or line feed in an attribute's value
 *   (libxml2 would turn either into a space), or '<' in one;
 * - an entity reference but the five predefined ones; "]]>" in text;
 * - an end tag that does not close the open element, text or an element after the root;
 * - elements nested deeper than 200, or a document of 10,000,000 bytes or more (libxml2's
 *   limits without huge_tree are 256 and 10,000,000 for a text).
 *
 * A form the exporter starts to write that this reading does not know costs time, not
 * correctness: those files go to libxml2 (the tests require every document we write to be
 * read here).
 *
 * The nodes live in blocks of this module kept from call to call (the GIL is held
 * throughout), their strings in a copy of the bytes in which it writes the ends of strings
 * and the replacements of entity references: no allocation per node, and nothing to free
 * but what a large file needed beyond what is kept (trim_tree(), after each call).
 */

#define READ_MAX_BYTES 10000000
#define READ_MAX_DEPTH 200
#define READ_MAX_NAME 1000

static xmlNs tei_ns = {.type = XML_NAMESPACE_DECL, .href = (const xmlChar *)TEI_NS};
static xmlNs xml_ns = {.type = XML_NAMESPACE_DECL, .href = (const xmlChar *)XML_NS, .prefix = (const xmlChar *)"xml"};

static const char XML_DECLARATION[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

/* the nodes of the tree, in blocks kept from call to call */
#define POOL_BLOCK 65536

typedef struct {
    char **blocks;
    size_t n, cap; /* blocks made, room for */
    size_t at, used; /* the block in use, and the bytes of it in use */
} Pool;

static void *pool_take(Pool *p, size_t size) {
    if (p->at < p->n && p->used + size <= POOL_BLOCK) {
        void *slot = p->blocks[p->at] + p->used;
        p->used += size;
        return slot;
    }
    if (p->at < p->n && p->used > 0)
        p->at++;
    if (p->at == p->n) {
        if (p->n == p->cap) {
            size_t cap = p->cap ? 2 * p->cap : 16;
            char **blocks = realloc(p->blocks, cap * sizeof *blocks);
            if (blocks == NULL)
                return NULL;
            p->blocks = blocks;
            p->cap = cap;
        }
        if ((p->blocks[p->n] = malloc(POOL_BLOCK)) == NULL)
            return NULL;
        p->n++;
    }
    p->used = size;
    return p->blocks[p->at];
}

typedef struct {
    char *text; /* the copy of the bytes */
    size_t text_cap;
    Pool nodes; /* and attributes */
} Tree;

static Tree tree_block;

/* What is kept between calls: a reference-sized file's tree takes two blocks; a 4 MB
 * file's hundreds, given back once it has been checked. */
#define KEEP_BLOCKS 8
#define KEEP_TEXT (1 << 20)

static void trim_tree(void) {
    Tree *t = &tree_block;
    Pool *p = &t->nodes;
    while (p->n > KEEP_BLOCKS)
        free(p->blocks[--p->n]);
    p->at = p->used = 0;
    if (t->text_cap > KEEP_TEXT) {
        free(t->text);
        t->text = NULL;
        t->text_cap = 0;
    }
}

static int is_blank(char c) { return c == ' ' || c == '\n' || c == '\t'; }

/* the bytes a name may start with (1) and go on with (2); filled on first use */
static unsigned char NAME_BYTES[256];

static void fill_name_bytes(void) {
    for (int c = 0; c < 256; c++) {
        int start = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        int more = start || (c >= '0' && c <= '9') || c == '-' || c == '.';
        NAME_BYTES[c] = (unsigned char)(start | (more << 1));
    }
}

/* the length of the name at ``p`` (0: none, or too long) */
static size_t name_length(const char *p) {
    const unsigned char *u = (const unsigned char *)p;
    if (!(NAME_BYTES[u[0]] & 1))
        return 0;
    size_t n = 1;
    while (NAME_BYTES[u[n]] & 2)
        if (++n > READ_MAX_NAME)
            return 0;
    return n;
}

/* Whether the bytes are UTF-8 of characters XML allows (a carriage return excepted). */
static int utf8_chars(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) { /* eight bytes from ' ' to '~' at a time */
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (((w | (w - 0x2020202020202020ULL)) & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        unsigned char c = s[i];
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n')
                return 0;
            i++;
            continue;
        }
        uint32_t cp;
        size_t len;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (i + len > n)
            return 0;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0; /* overlong, or beyond Unicode */
        if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
            return 0; /* not an XML Char */
        i += len;
    }
    return 1;
}

/* Replace the predefined entity references of ``s[0:n]`` in place, and end it with a NUL;
 * 0 if it holds another reference (or, in text, "]]>", checked before any is replaced). */
static int unescape(char *s, size_t n, int in_text) {
    const char *end = s + n;
    if (in_text)
        for (const char *b = memchr(s, ']', n); b != NULL; b = memchr(b + 1, ']', (size_t)(end - b - 1)))
            if (end - b >= 3 && b[1] == ']' && b[2] == '>')
                return 0;
    char *out = memchr(s, '&', n);
    if (out == NULL) {
        s[n] = 0;
        return 1;
    }
    const char *p = out;
    while (p < end) {
        char c = *p;
        if (c == '&') {
            static const struct {
                const char *ref;
                size_t len;
                char ch;
            } refs[] = {{"&amp;", 5, '&'}, {"&lt;", 4, '<'}, {"&gt;", 4, '>'}, {"&quot;", 6, '"'}, {"&apos;", 6, '\''}};
            size_t k = 0;
            while (k < 5 && !((size_t)(end - p) >= refs[k].len && memcmp(p, refs[k].ref, refs[k].len) == 0))
                k++;
            if (k == 5)
                return 0;
            *out++ = refs[k].ch;
            p += refs[k].len;
            continue;
        }
        *out++ = c;
        p++;
    }
    *out = 0;
    return 1;
}

static xmlNode *new_node(Tree *t, xmlElementType type, xmlNode *parent) {
    xmlNode *n = pool_take(&t->nodes, sizeof *n);
    if (n == NULL)
        return NULL;
    memset(n, 0, sizeof *n);
    n->type = type;
    n->parent = parent;
    if (parent != NULL && type != XML_ATTRIBUTE_NODE) {
        if (parent->last == NULL) {
            parent->children = n;
        } else {
            parent->last->next = n;
            n->prev = parent->last;
        }
        parent->last = n;
    }
    return n;
}

/* The tree of ``data`` (its document node), or NULL where this reading cannot say what
 * libxml2 reads (see above); *oom set when out of memory. */
static xmlNode *read_tei(const char *data, size_t size, int *oom) {
    Tree *t = &tree_block;
    *oom = 0;
    if (NAME_BYTES['a'] == 0)
        fill_name_bytes();
    if (size >= READ_MAX_BYTES || !utf8_chars((const unsigned char *)data, size))
        return NULL;
    if (size + 1 > t->text_cap) {
        char *text = realloc(t->text, size + 1);
        if (text == NULL) {
            *oom = 1;
            return NULL;
        }
        t->text = text;
        t->text_cap = size + 1;
    }
    char *s = t->text;
    memcpy(s, data, size);
    s[size] = 0;
    t->nodes.at = t->nodes.used = 0;

    size_t decl = sizeof XML_DECLARATION - 1;
    if (size < decl || memcmp(s, XML_DECLARATION, decl) != 0)
        return NULL;
    char *p = s + decl, *end = s + size;
    while (is_blank(*p))
        p++;
    xmlNode *doc = new_node(t, XML_DOCUMENT_NODE, NULL);
    if (doc == NULL)
        goto out_of_memory;
    xmlNode *cur = doc; /* the open element (the document before the root) */
    int depth = 0, done = 0;
    unsigned char tei_default[READ_MAX_DEPTH + 1] = {0}; /* the default namespace at each depth */

    while (!done) {
        if (*p != '<') {
            if (depth == 0)
                return NULL; /* text or nothing where the root should start */
            char *lt_at = memchr(p, '<', (size_t)(end - p));
            if (lt_at == NULL)
                return NULL; /* the root never closed */
            xmlNode *text = new_node(t, XML_TEXT_NODE, cur);
            if (text == NULL)
                goto out_of_memory;
            text->name = (const xmlChar *)"text";
            text->content = (xmlChar *)p;
            if (!unescape(p, (size_t)(lt_at - p), 1))
                return NULL;
            p = lt_at; /* unescape() may have written its NUL over this '<' */
        }
        /* a tag; p points at its '<' (or at the NUL written over it) */
        p++;
        if (*p == '/') { /* an end tag */
            p++;
            if (depth == 0)
                return NULL;
            size_t n = name_length(p);
            if (n == 0 || n != strlen((const char *)cur->name) || memcmp(p, cur->name, n) != 0)
                return NULL;
            p += n;
            while (is_blank(*p))
                p++;
            if (*p != '>')
                return NULL;
            p++;
            cur = cur->parent;
            depth--;
            if (depth == 0)
                done = 1;
            continue;
        }
        /* a start tag */
        size_t n = name_length(p);
        if (n == 0 || p[n] == ':' || depth >= READ_MAX_DEPTH)
            return NULL;
        xmlNode *e = new_node(t, XML_ELEMENT_NODE, cur);
        if (e == NULL)
            goto out_of_memory;
        e->name = (const xmlChar *)p;
        char *name_end = p + n; /* its NUL is written once the tag is read */
        p = name_end;
        xmlAttr *last_attr = NULL;
        int own_default = 0, empty = 0;
        for (;;) {
            int blank = 0;
            while (is_blank(*p)) {
                p++;
                blank = 1;
            }
            if (*p == '>') {
                p++;
                break;
            }
            if (*p == '/' && p[1] == '>') {
                p += 2;
                empty = 1;
                break;
            }
            if (!blank)
                return NULL; /* an attribute needs blank space before it */
            /* an attribute: [xml:]name = "value" */
            char *name = p;
            size_t an = name_length(p);
            if (an == 0)
                return NULL;
            xmlNs *ns = NULL;
            int xmlns = 0;
            if (p[an] == ':') {
                if (an != 3 || memcmp(p, "xml", 3) != 0)
                    return NULL; /* a prefix but xml: (xmlns:x declarations among them) */
                ns = &xml_ns;
                name = p + 4;
                an = name_length(name);
                if (an == 0 || name[an] == ':')
                    return NULL;
            } else if (an == 5 && memcmp(p, "xmlns", 5) == 0) {
                xmlns = 1;
            }
            p = name + an;
            while (is_blank(*p))
                p++;
            if (*p != '=')
                return NULL;
            name[an] = 0; /* over the blank or the '=', both read */
            p++;
            while (is_blank(*p))
                p++;
            char quote = *p;
            if (quote != '"' && quote != '\'')
                return NULL;
            char *value = ++p;
            char *close = memchr(value, quote, (size_t)(end - value));
            if (close == NULL)
                return NULL;
            for (const char *v = value; v < close; v++)
                if (*v == '<' || *v == '\t' || *v == '\n')
                    return NULL;
            if (!unescape(value, (size_t)(close - value), 0))
                return NULL;
            p = close + 1;
            if (xmlns) {
                if (own_default || strcmp(value, TEI_NS) != 0)
                    return NULL;
                own_default = 1;
                continue;
            }
            for (const xmlAttr *a = e->properties; a != NULL; a = a->next)
                if (a->ns == ns && strcmp((const char *)a->name, name) == 0)
                    return NULL; /* twice */
            xmlAttr *a = pool_take(&t->nodes, sizeof *a);
            if (a == NULL)
                goto out_of_memory;
            memset(a, 0, sizeof *a);
            a->type = XML_ATTRIBUTE_NODE;
            a->name = (const xmlChar *)name;
            a->ns = ns;
            a->parent = e;
            if (last_attr == NULL) {
                e->properties = a;
            } else {
                last_attr->next = a;
                a->prev = last_attr;
            }
            last_attr = a;
            if (*value != 0) { /* "" as no text at all: the checks read both forms alike */
                xmlNode *v = new_node(t, XML_TEXT_NODE, NULL);
                if (v == NULL)
                    goto out_of_memory;
                v->name = (const xmlChar *)"text";
                v->content = (xmlChar *)value;
                v->parent = (xmlNode *)a;
                a->children = a->last = v;
            }
        }
        *name_end = 0;
        int tei = own_default || tei_default[depth];
        e->ns = tei ? &tei_ns : NULL;
        if (empty) {
            if (depth == 0)
                done = 1;
        } else {
            depth++;
            tei_default[depth] = (unsigned char)tei;
            cur = e;
        }
    }
    while (is_blank(*p))
        p++;
    if (p != end)
        return NULL; /* something after the root */
    return doc;
out_of_memory:
    *oom = 1;
    return NULL;
}
