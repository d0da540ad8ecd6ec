/* seen_text.h — what a store iteration handed its callback, as one line of
 * text: the contract tests compare it whole, on both backends, and stop the
 * iteration after stop_after rows to check an early stop. */
#ifndef TK_TEST_SEEN_TEXT_H
#define TK_TEST_SEEN_TEXT_H

struct seen_text {
	int n, stop_after;
	char text[4096];
};

/* Appends to s->text (cut at its size). */
void seen_text_add(struct seen_text *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
