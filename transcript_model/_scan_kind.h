/* The scans of _scan.c for one storage of str (one, two or four bytes a character), so that
 * each loop reads its characters directly: included once for each, with CHAR the type of a
 * character and KIND the suffix of the functions' names. */
#define NAME2(a, b) a##_##b
#define NAME(a, b) NAME2(a, b)

/* The predicates of the block scans (see SCAN_BLOCK), each in the width of a character. */

/* a C0 control XML 1.0 forbids: all but NUL (asked apart), tab, newline and carriage return */
static inline CHAR
NAME(c0, KIND)(CHAR c)
{
    return (CHAR)((c < 0x20) & (c != 0) & (c != '\t') & (c != '\n') & (c != '\r'));
}

/* a character XML 1.0 forbids, NUL excepted (has_xml_forbidden's question): a forbidden C0
 * control, a surrogate, U+FFFE, U+FFFF */
static inline CHAR
NAME(xml_forbidden, KIND)(CHAR c)
{
#if KIND == 1
    return NAME(c0, KIND)(c);
#else
    return (CHAR)(NAME(c0, KIND)(c) | ((CHAR)(c - 0xD800u) < 0x800u) | ((CHAR)(c - 0xFFFEu) < 2u));
#endif
}

/* NUL (has_nul's question: the string search for it goes character by character in a text
 * stored two or four bytes a character, where the byte it would look for is in every other) */
static inline CHAR
NAME(nul, KIND)(CHAR c)
{
    return (CHAR)(c == 0);
}

/* a control the control-characters rule removes: a forbidden C0 control, U+007F to U+009F */
static inline CHAR
NAME(control, KIND)(CHAR c)
{
    return (CHAR)(NAME(c0, KIND)(c) | ((c >= 0x7F) & (c <= 0x9F)));
}

/* a space or a no-break space before one of , ; : ! ? . (",." and ":;" are pairs of codes
 * one bit apart) */
static inline CHAR
NAME(space_then_mark, KIND)(CHAR c, CHAR next)
{
    return (CHAR)(((c == ' ') | (c == 0xA0)) &
                  (((CHAR)(next | 2u) == '.') | ((CHAR)(next | 1u) == ';') | (next == '!') | (next == '?')));
}

/* the bit of xml_specials for a character markup must escape (0 for any other) */
static inline CHAR
NAME(special, KIND)(CHAR c)
{
    return (CHAR)(((c == '&') * 1) | ((c == '<') * 2) | ((c == '>') * 4) | ((c == '\r') * 8) | ((c == '"') * 16) |
                  ((c == '\n') * 32) | ((c == '\t') * 64));
}

/* whether the block of SCAN_BLOCK characters at s holds one outside ASCII */
static inline int
NAME(block_beyond_ascii, KIND)(const CHAR *s)
{
    CHAR any = 0;
    for (int k = 0; k < SCAN_BLOCK; k++)
        any |= (CHAR)(s[k] >= 0x80);
    return any != 0;
}

static int
NAME(repeated_capitalised_word, KIND)(const CHAR *s, Py_ssize_t n)
{
    Py_ssize_t i = 0;
    while (i < n) {
        if (!is_cap(s[i])) {
            i++;
            continue;
        }
        /* the word's letters: it ends where they do, and a space must follow */
        Py_ssize_t j = i + 1;
        while (j < n && is_low(s[j]))
            j++;
        Py_ssize_t len = j - i;
        if (len >= 2 && j + len + 2 < n && s[j] == ' ' && s[j + 1 + len] == ' ' && is_cap(s[j + 2 + len]) &&
            memcmp(s + i, s + j + 1, (size_t)len * sizeof(CHAR)) == 0)
            return 1;
        i = j; /* the letters between were no capitals; the character at j is asked next */
    }
    return 0;
}

static int
NAME(space_before_mark, KIND)(const CHAR *s, Py_ssize_t n)
{
    Py_ssize_t i = 0;
    for (; i + SCAN_BLOCK < n; i += SCAN_BLOCK) { /* each block with the character after it */
        CHAR any = 0;
        for (int k = 0; k < SCAN_BLOCK; k++)
            any |= NAME(space_then_mark, KIND)(s[i + k], s[i + k + 1]);
        if (any)
            return 1;
    }
    for (; i + 1 < n; i++)
        if (NAME(space_then_mark, KIND)(s[i], s[i + 1]))
            return 1;
    return 0;
}

/* whether any character of the text is one the predicate (of the width of a character) says */
#define ANY_SCAN(scan, predicate)                                                                                     \
    static int NAME(scan, KIND)(const CHAR *s, Py_ssize_t n)                                                          \
    {                                                                                                                 \
        Py_ssize_t i = 0;                                                                                             \
        for (; i + SCAN_BLOCK <= n; i += SCAN_BLOCK) {                                                                \
            CHAR any = 0;                                                                                             \
            for (int k = 0; k < SCAN_BLOCK; k++)                                                                      \
                any |= NAME(predicate, KIND)(s[i + k]);                                                               \
            if (any)                                                                                                  \
                return 1;                                                                                             \
        }                                                                                                             \
        for (; i < n; i++)                                                                                            \
            if (NAME(predicate, KIND)(s[i]))                                                                          \
                return 1;                                                                                             \
        return 0;                                                                                                     \
    }

ANY_SCAN(has_xml_forbidden, xml_forbidden)
ANY_SCAN(has_control, control)
ANY_SCAN(has_nul, nul)
#undef ANY_SCAN

static int
NAME(non_ascii_word_character, KIND)(const CHAR *s, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i + SCAN_BLOCK <= n && !NAME(block_beyond_ascii, KIND)(s + i)) {
            i += SCAN_BLOCK - 1;
            continue;
        }
        if (s[i] >= 0x80 && Py_UNICODE_ISALNUM(s[i])) /* the regex engine's \w outside ASCII */
            return 1;
    }
    return 0;
}

static int
NAME(may_hold_mojibake, KIND)(const CHAR *s, Py_ssize_t n)
{
    int sign = 0, suspect = 0;
    Py_ssize_t i = 0;
    while (i < n) {
        if (i + SCAN_BLOCK <= n && !NAME(block_beyond_ascii, KIND)(s + i)) {
            i += SCAN_BLOCK; /* ASCII: neither a sign nor a suspect, nor what follows one */
            continue;
        }
        Py_ssize_t end = i + SCAN_BLOCK < n ? i + SCAN_BLOCK : n;
        for (; i < end; i++) {
            Py_UCS4 c = s[i];
            if (c < 0x80)
                continue;
            sign = sign || (c <= 0x9F || c == 0xC2 || c == 0xC3 || c == 0x152 || c == 0x153 ||
                            (i + 1 < n && s[i + 1] >= 0x80));
            suspect = suspect || c <= 0x17F || (c >= 0x400 && c <= 0x4FF) || (c >= 0x2018 && c <= 0x2122) ||
                      c == 0xFFFD;
        }
        if (sign && suspect)
            return 1;
    }
    return 0;
}

static int
NAME(xml_specials, KIND)(const CHAR *s, Py_ssize_t n)
{
    unsigned found = 0;
    Py_ssize_t i = 0;
    for (; i + SCAN_BLOCK <= n; i += SCAN_BLOCK) {
        CHAR any = 0;
        for (int k = 0; k < SCAN_BLOCK; k++)
            any |= NAME(special, KIND)(s[i + k]);
        found |= any;
    }
    for (; i < n; i++) /* the rest (most attribute values and short texts are all rest) */
        found |= s[i] < 0x80 ? special_bits[s[i]] : 0;
    return (int)found;
}

/* split_blocks's blocks of a text from offset start: each block's first and last character
 * (after the blank lines and the whitespace about it) and its first line, three numbers in
 * turn in out (room for (n - start + 1) / 2 + 1 blocks: each is a character at least, and
 * blank runs are two); returns how many numbers it wrote. A blank run is what the pattern
 * \n[ \t\u00a0]*\n\s* matches, found from the left as the regex engine finds it; whitespace
 * is what str.strip and the engine's \s take (Py_UNICODE_ISSPACE). */
static Py_ssize_t
NAME(block_bounds, KIND)(const CHAR *s, Py_ssize_t n, Py_ssize_t start, Py_ssize_t *out)
{
    Py_ssize_t written = 0, line = 1, pos = start, i = start;
    for (Py_ssize_t j = 0; j < start; j++)
        line += s[j] == '\n';
    for (;;) {
        /* the next blank run [j, e) from i, or j = n */
        Py_ssize_t j = i, e = n;
        for (; j < n; j++) {
            if (s[j] != '\n')
                continue;
            Py_ssize_t k = j + 1;
            while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == 0xA0))
                k++;
            if (k < n && s[k] == '\n') {
                e = k + 1;
                while (e < n && Py_UNICODE_ISSPACE(s[e]))
                    e++;
                break;
            }
        }
        /* the block [pos, j), stripped */
        Py_ssize_t a = pos, b = j < n ? j : n, first = line;
        while (a < b && Py_UNICODE_ISSPACE(s[a])) {
            first += s[a] == '\n';
            a++;
        }
        if (a < b) {
            while (Py_UNICODE_ISSPACE(s[b - 1]))
                b--;
            out[written++] = a;
            out[written++] = b;
            out[written++] = first;
        }
        if (j >= n)
            return written;
        for (Py_ssize_t c = pos; c < e; c++)
            line += s[c] == '\n';
        pos = i = e;
    }
}

static void
NAME(letter_counts, KIND)(const CHAR *s, Py_ssize_t n, Py_ssize_t *latin, Py_ssize_t *cyrillic)
{
    Py_ssize_t a = 0, b = 0, i = 0;
    for (; i + SCAN_BLOCK <= n; i += SCAN_BLOCK) { /* a block's counts fit a character */
        CHAR la = 0, cy = 0;
        for (int k = 0; k < SCAN_BLOCK; k++) {
            CHAR c = s[i + k];
            la += (CHAR)((CHAR)((c | 0x20) - 'a') < 26);
#if KIND > 1 /* one byte holds no Cyrillic */
            cy += (CHAR)((CHAR)(c - 0x400u) < 0x100u);
#endif
        }
        a += la;
        b += cy;
    }
    for (; i < n; i++) {
        Py_UCS4 c = s[i];
        a += ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
        b += (c >= 0x400 && c <= 0x4FF);
    }
    *latin = a;
    *cyrillic = b;
}

#undef NAME
#undef NAME2
