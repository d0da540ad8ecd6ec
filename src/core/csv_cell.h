/* csv_cell.h — one CSV cell of text, safe to open in a spreadsheet: every
 * export tuike writes (the group reports, the payout file) puts outside
 * text through here, so that a member's name or account can never become
 * a formula, and a quote or line break never a second cell or row. */
#ifndef TK_CSV_CELL_H
#define TK_CSV_CELL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/textbuf.h"

/* Whether a spreadsheet could take the text s as a formula: it starts with
 * = + - @ (ASCII or their full-width forms ＝ ＋ － ＠, which some input
 * methods and WPS turn into the ASCII ones), a tab or a carriage return
 * (OWASP's CSV injection list). */
bool csv_cell_dangerous(const char *s);

/* Appends the text s as one cell to b (at most max bytes in b): a
 * dangerous text is prefixed with a single quote (the spreadsheet then
 * shows it as text), a quote inside is doubled, and the cell is quoted
 * when it was guarded or holds a comma, a quote, a CR or an LF.  With
 * always_quote every cell is quoted.  False, b unchanged, when out of
 * memory or beyond max. */
bool csv_cell_append(struct textbuf *b, const char *s, bool always_quote, size_t max);

#endif
