/* The scans of _scan.c for one storage of str (one, two or four bytes a character), so that
 * each loop reads its characters directly: included once for each, with CHAR the type of a
 * character and KIND the suffix of the functions' names. */
#define NAME2(a, b) a##_##b
#define NAME(a, b) NAME2(a, b)

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
    for (Py_ssize_t i = 0; i + 1 < n; i++)
        if ((s[i] == ' ' || s[i] == 0xA0) && is_mark(s[i + 1]))
            return 1;
    return 0;
}

static int
NAME(has_xml_forbidden, KIND)(const CHAR *s, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = s[i];
        if (c < 0x20 ? is_forbidden_c0(c) : (c >= 0xD800 && (c <= 0xDFFF || c == 0xFFFE || c == 0xFFFF)))
            return 1;
    }
    return 0;
}

static int
NAME(has_control, KIND)(const CHAR *s, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = s[i];
        if (c < 0x20 ? is_forbidden_c0(c) : (c >= 0x7F && c <= 0x9F))
            return 1;
    }
    return 0;
}

static int
NAME(non_ascii_word_character, KIND)(const CHAR *s, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++)
        if (s[i] >= 0x80 && Py_UNICODE_ISALNUM(s[i])) /* the regex engine's \w outside ASCII */
            return 1;
    return 0;
}

static int
NAME(may_hold_mojibake, KIND)(const CHAR *s, Py_ssize_t n)
{
    int sign = 0, suspect = 0;
    for (Py_ssize_t i = 0; i < n && !(sign && suspect); i++) {
        Py_UCS4 c = s[i];
        if (c < 0x80)
            continue;
        sign = sign || (c <= 0x9F || c == 0xC2 || c == 0xC3 || c == 0x152 || c == 0x153 || (i + 1 < n && s[i + 1] >= 0x80));
        suspect = suspect || c <= 0x17F || (c >= 0x400 && c <= 0x4FF) || (c >= 0x2018 && c <= 0x2122) || c == 0xFFFD;
    }
    return sign && suspect;
}

static void
NAME(letter_counts, KIND)(const CHAR *s, Py_ssize_t n, Py_ssize_t *latin, Py_ssize_t *cyrillic)
{
    Py_ssize_t a = 0, b = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = s[i];
        a += ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
        b += (c >= 0x400 && c <= 0x4FF);
    }
    *latin = a;
    *cyrillic = b;
}

#undef NAME
#undef NAME2
