/* Character scans of the parser, in C: each says what a Python function of the package says
 * (its definition, used where this module is not built), in one pass over the characters
 * and with nothing allocated. They are the questions asked of every document as a whole
 * (does any rule have work here, which language is it, can XML carry it), which the regex
 * engine answers by trying a pattern at every character.
 *
 * tests/test_scan.py checks each against its Python definition on the test documents and
 * on random texts.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#if PY_VERSION_HEX < 0x030C0000
#define READY(s) PyUnicode_READY(s)
#else
#define READY(s) 0
#endif

static int
text_argument(PyObject *arg, const char *name, int *kind, const void **data, Py_ssize_t *n)
{
    if (!PyUnicode_Check(arg)) {
        PyErr_Format(PyExc_TypeError, "%s() argument must be str, not %.200s", name, Py_TYPE(arg)->tp_name);
        return -1;
    }
    if (READY(arg) < 0)
        return -1;
    *kind = PyUnicode_KIND(arg);
    *data = PyUnicode_DATA(arg);
    *n = PyUnicode_GET_LENGTH(arg);
    return 0;
}

/* [A-ZА-ЯЁ] and [a-zа-яё'’-], the capitals and the word letters of the hover-card rule */
static inline int
is_cap(Py_UCS4 c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 0x410 && c <= 0x42F) || c == 0x401;
}

static inline int
is_low(Py_UCS4 c)
{
    return (c >= 'a' && c <= 'z') || (c >= 0x430 && c <= 0x44F) || c == 0x451 || c == '\'' || c == 0x2019 ||
           c == '-';
}

/* The scans that look for rare characters read a text in blocks of SCAN_BLOCK characters
 * and ask, of each block, whether any character is one: a loop of a known length with no
 * early exit, which the compiler turns into vector instructions (sixteen bytes compared at a
 * time). Their predicates (in _scan_kind.h) are therefore said without branches, in the
 * width of a character (widened to 32 bits, four times fewer characters fit a register), and
 * as comparisons the compiler keeps as such (a set of close characters said as equalities it
 * turns into a test of a bit of a constant, which has no vector form). */
#define SCAN_BLOCK 64

/* xml_specials's bits of the ASCII characters, for characters read one at a time: & 1, < 2,
 * > 4, carriage return 8, " 16, newline 32, tab 64 (a load, where the predicate compares
 * seven times) */
static const unsigned char special_bits[0x80] = {
    ['&'] = 1, ['<'] = 2, ['>'] = 4, ['\r'] = 8, ['"'] = 16, ['\n'] = 32, ['\t'] = 64,
};

#define CHAR Py_UCS1
#define KIND 1
#include "_scan_kind.h"
#undef CHAR
#undef KIND
#define CHAR Py_UCS2
#define KIND 2
#include "_scan_kind.h"
#undef CHAR
#undef KIND
#define CHAR Py_UCS4
#define KIND 4
#include "_scan_kind.h"
#undef CHAR
#undef KIND

/* a function of the module: the text's characters to the scan for their storage */
#define BY_KIND(scan, name)                                                                                           \
    static PyObject *scan(PyObject *module, PyObject *arg)                                                            \
    {                                                                                                                 \
        int kind;                                                                                                     \
        const void *data;                                                                                             \
        Py_ssize_t n;                                                                                                 \
        if (text_argument(arg, name, &kind, &data, &n) < 0)                                                           \
            return NULL;                                                                                              \
        int found = kind == PyUnicode_1BYTE_KIND   ? scan##_1(data, n)                                                \
                    : kind == PyUnicode_2BYTE_KIND ? scan##_2(data, n)                                                \
                                                   : scan##_4(data, n);                                               \
        return PyBool_FromLong(found);                                                                                \
    }

BY_KIND(repeated_capitalised_word, "repeated_capitalised_word")
BY_KIND(space_before_mark, "space_before_mark")
BY_KIND(has_xml_forbidden, "has_xml_forbidden")
BY_KIND(has_control, "has_control")
BY_KIND(has_nul, "has_nul")
BY_KIND(may_hold_mojibake, "may_hold_mojibake")
BY_KIND(non_ascii_word_character, "non_ascii_word_character")

/* a function of the module giving an int: the text's characters to the scan for their storage */
static PyObject *
xml_specials(PyObject *module, PyObject *arg)
{
    int kind;
    const void *data;
    Py_ssize_t n;
    if (text_argument(arg, "xml_specials", &kind, &data, &n) < 0)
        return NULL;
    int found = kind == PyUnicode_1BYTE_KIND   ? xml_specials_1(data, n)
                : kind == PyUnicode_2BYTE_KIND ? xml_specials_2(data, n)
                                               : xml_specials_4(data, n);
    return PyLong_FromLong(found);
}

PyDoc_STRVAR(repeated_capitalised_word_doc,
             "repeated_capitalised_word(text, /)\n--\n\n"
             "Whether a capitalised word ([A-ZА-ЯЁ][a-zа-яё'’-]+) is followed by a space, itself,\n"
             "a space and a capital: what every hover card the hover-card rule removes holds.");

PyDoc_STRVAR(space_before_mark_doc,
             "space_before_mark(text, /)\n--\n\n"
             "Whether a space or a no-break space is followed by one of , ; : ! ? .");

PyDoc_STRVAR(has_xml_forbidden_doc,
             "has_xml_forbidden(text, /)\n--\n\n"
             "Whether text holds a character XML 1.0 cannot carry: a C0 control other than tab,\n"
             "newline and carriage return (NUL excepted), U+FFFE, U+FFFF or a surrogate.");

PyDoc_STRVAR(has_control_doc,
             "has_control(text, /)\n--\n\n"
             "Whether text holds a control the control-characters rule removes: U+0001 to U+0008,\n"
             "U+000B, U+000C, U+000E to U+001F, U+007F to U+009F.");

PyDoc_STRVAR(has_nul_doc,
             "has_nul(text, /)\n--\n\n"
             "Whether text holds a NUL character (U+0000).");

PyDoc_STRVAR(may_hold_mojibake_doc,
             "may_hold_mojibake(text, /)\n--\n\n"
             "Whether text holds a sign of mojibake (a character outside ASCII that is a C1 control,\n"
             "\u00c2, \u00c3, \u0152 or \u0153, or is followed by another outside ASCII) and a character of\n"
             "the ranges mojibake is made of (U+0080 to U+017F, U+0400 to U+04FF, U+2018 to U+2122,\n"
             "U+FFFD).");

PyDoc_STRVAR(non_ascii_word_character_doc,
             "non_ascii_word_character(text, /)\n--\n\n"
             "Whether text holds a word character (as the regex engine's \\w) outside ASCII.");

PyDoc_STRVAR(xml_specials_doc,
             "xml_specials(text, /)\n--\n\n"
             "Which characters markup escapes the text holds, as bits: 1 &, 2 <, 4 >, 8 carriage\n"
             "return, 16 \", 32 newline, 64 tab (the last three in attribute values only).");

PyDoc_STRVAR(block_bounds_doc,
             "block_bounds(text, start, /)\n--\n\n"
             "The blocks of text from offset start, as split_blocks finds them (runs of lines\n"
             "between blank lines, stripped): each block's start, end and first line (1-based),\n"
             "three numbers in turn in one list.");

static PyObject *
block_bounds(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    int kind;
    const void *data;
    Py_ssize_t n;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "block_bounds() takes exactly 2 arguments (text, start)");
        return NULL;
    }
    if (text_argument(args[0], "block_bounds", &kind, &data, &n) < 0)
        return NULL;
    Py_ssize_t start = PyLong_AsSsize_t(args[1]);
    if (start == -1 && PyErr_Occurred())
        return NULL;
    if (start < 0 || start > n) {
        PyErr_SetString(PyExc_ValueError, "block_bounds() start must be an offset into the text");
        return NULL;
    }
    /* blocks are two characters apart at least: (n - start + 1) / 2 + 1 of them at most */
    Py_ssize_t *out = PyMem_New(Py_ssize_t, 3 * ((n - start + 1) / 2 + 1));
    if (out == NULL)
        return PyErr_NoMemory();
    Py_ssize_t count = kind == PyUnicode_1BYTE_KIND   ? block_bounds_1(data, n, start, out)
                       : kind == PyUnicode_2BYTE_KIND ? block_bounds_2(data, n, start, out)
                                                      : block_bounds_4(data, n, start, out);
    PyObject *list = PyList_New(count);
    for (Py_ssize_t i = 0; list != NULL && i < count; i++) {
        PyObject *number = PyLong_FromSsize_t(out[i]);
        if (number == NULL)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, i, number);
    }
    PyMem_Free(out);
    return list;
}

PyDoc_STRVAR(letter_counts_doc,
             "letter_counts(text, /)\n--\n\n"
             "(Latin letters A-Z and a-z, characters of the Cyrillic block U+0400 to U+04FF).");

static PyObject *
letter_counts(PyObject *module, PyObject *arg)
{
    int kind;
    const void *data;
    Py_ssize_t n, latin, cyrillic;
    if (text_argument(arg, "letter_counts", &kind, &data, &n) < 0)
        return NULL;
    if (kind == PyUnicode_1BYTE_KIND)
        letter_counts_1(data, n, &latin, &cyrillic);
    else if (kind == PyUnicode_2BYTE_KIND)
        letter_counts_2(data, n, &latin, &cyrillic);
    else
        letter_counts_4(data, n, &latin, &cyrillic);
    return Py_BuildValue("(nn)", latin, cyrillic);
}

PyDoc_STRVAR(utf8_has_xml_forbidden_doc,
             "utf8_has_xml_forbidden(data, nul, /)\n--\n\n"
             "Whether UTF-8 data (from a str: no surrogates) holds a character XML 1.0 forbids:\n"
             "a C0 control other than tab, newline and carriage return (NUL only if nul),\n"
             "U+FFFE or U+FFFF (EF BF BE, EF BF BF).");

static PyObject *
utf8_has_xml_forbidden(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "utf8_has_xml_forbidden() takes exactly 2 arguments (data, nul)");
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(args[0], &view, PyBUF_SIMPLE) < 0)
        return NULL;
    int nul = PyObject_IsTrue(args[1]);
    if (nul < 0) {
        PyBuffer_Release(&view);
        return NULL;
    }
    const unsigned char *s = view.buf;
    Py_ssize_t n = view.len;
    int found = 0;
    unsigned char zero = nul ? 1 : 0;
    for (Py_ssize_t i = 0; i < n && !found; i += SCAN_BLOCK) {
        Py_ssize_t end = i + SCAN_BLOCK < n ? i + SCAN_BLOCK : n;
        if (end - i == SCAN_BLOCK) { /* a whole block: any forbidden C0 byte, NUL or EF byte? */
            unsigned char any = 0;
            for (int k = 0; k < SCAN_BLOCK; k++) {
                unsigned char b = s[i + k];
                any |= c0_1(b) | (unsigned char)((b == 0) & zero) | (unsigned char)(b == 0xEF);
            }
            if (!any)
                continue;
        }
        for (Py_ssize_t j = i; j < end; j++) {
            unsigned char b = s[j];
            if (b < 0x20) {
                if (c0_1(b) || (b == 0 && nul)) {
                    found = 1;
                    break;
                }
            }
            else if (b == 0xEF && j + 2 < n && s[j + 1] == 0xBF && (s[j + 2] == 0xBE || s[j + 2] == 0xBF)) {
                found = 1;
                break;
            }
        }
    }
    PyBuffer_Release(&view);
    return PyBool_FromLong(found);
}

static PyMethodDef scan_methods[] = {
    {"repeated_capitalised_word", repeated_capitalised_word, METH_O, repeated_capitalised_word_doc},
    {"space_before_mark", space_before_mark, METH_O, space_before_mark_doc},
    {"has_xml_forbidden", has_xml_forbidden, METH_O, has_xml_forbidden_doc},
    {"has_control", has_control, METH_O, has_control_doc},
    {"has_nul", has_nul, METH_O, has_nul_doc},
    {"may_hold_mojibake", may_hold_mojibake, METH_O, may_hold_mojibake_doc},
    {"non_ascii_word_character", non_ascii_word_character, METH_O, non_ascii_word_character_doc},
    {"letter_counts", letter_counts, METH_O, letter_counts_doc},
    {"xml_specials", xml_specials, METH_O, xml_specials_doc},
    {"block_bounds", (PyCFunction)(void (*)(void))block_bounds, METH_FASTCALL, block_bounds_doc},
    {"utf8_has_xml_forbidden", (PyCFunction)(void (*)(void))utf8_has_xml_forbidden, METH_FASTCALL,
     utf8_has_xml_forbidden_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef scan_module = {
    PyModuleDef_HEAD_INIT,
    "transcript_model._scan",
    "Character scans of the parser in C, each the answer of a Python function of the package.",
    0,
    scan_methods,
};

PyMODINIT_FUNC
PyInit__scan(void)
{
    return PyModuleDef_Init(&scan_module);
}
