/* test_error_keys.c — error keys and their params: tk_fail_key fills them,
 * tk_fail clears them, and every key the source raises (tk_fail_key,
 * fail_with, err_code) is in error_keys.c with each param it is given, and
 * every dotted key listed there is raised with all of its params.  The
 * source is read from the tree (TUIKE_FIXTURES/../../src). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/error_keys.h"

static void key_and_params_filled_then_cleared(void **state)
{
	(void)state;
	struct tk_error err = {0};
	assert_int_equal(tk_fail_key(&err, TK_EINVAL, "amount", "withdraw.below_minimum",
				     "%d yuan is below", 5),
			 TK_EINVAL);
	tk_error_int(&err, "amount_fen", 500);
	tk_error_str(&err, "who", "a\nb");
	assert_string_equal(err.key, "withdraw.below_minimum");
	assert_string_equal(err.msg, "5 yuan is below");
	assert_int_equal(err.nparams, 2);
	assert_string_equal(err.params[0].name, "amount_fen");
	assert_int_equal(err.params[0].kind, TK_PARAM_INT);
	assert_int_equal(err.params[0].num, 500);
	assert_int_equal(err.params[1].kind, TK_PARAM_STR);
	assert_string_equal(err.params[1].str, "a\\nb"); /* escaped like the message */
	/* a later failure without a key leaves none of the earlier one */
	tk_fail(&err, TK_ENOTFOUND, "x", "gone");
	assert_string_equal(err.key, "");
	assert_int_equal(err.nparams, 0);
	/* NULL err: nothing to fill, no crash */
	assert_int_equal(tk_fail_key(NULL, TK_EINVAL, "", "invalid", "x"), TK_EINVAL);
	tk_error_int(NULL, "n", 1);
}

static void registry_is_well_formed(void **state)
{
	(void)state;
	size_t n;
	const struct tk_error_key *k = tk_error_keys(&n);
	assert_true(n > 50);
	for (size_t i = 0; i < n; i++) {
		assert_true(strlen(k[i].key) < sizeof(((struct tk_error *)0)->key));
		assert_true(k[i].says && *k[i].says);
		for (const char *p = k[i].key; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
				    *p == '_' || *p == '.');
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(k[i].key, k[j].key);
		assert_ptr_equal(tk_error_key_find(k[i].key), &k[i]);
	}
	const struct tk_error_key *w = tk_error_key_find("withdraw.below_minimum");
	assert_non_null(w);
	assert_true(tk_error_key_has_param(w, "minimum_fen"));
	assert_true(tk_error_key_has_param(w, "field"));
	assert_false(tk_error_key_has_param(w, "minimum"));
	assert_null(tk_error_key_find("no.such_key"));
}

/* ---- reading the source ---- */

#define MAX_SEEN 512
static struct {
	char key[64];
	char param[24];
} seen[MAX_SEEN]; /* (key, param) pairs raised; param "" for the key itself */
static int n_seen;
static int problems;

static void see(const char *key, const char *param)
{
	for (int i = 0; i < n_seen; i++)
		if (!strcmp(seen[i].key, key) && !strcmp(seen[i].param, param))
			return;
	assert_true(n_seen < MAX_SEEN);
	snprintf(seen[n_seen].key, sizeof(seen[0].key), "%s", key);
	snprintf(seen[n_seen].param, sizeof(seen[0].param), "%s", param);
	n_seen++;
}

/* The end of the parenthesised list opening at s[0] == '(' (the ')'),
 * string and character literals skipped; NULL when unbalanced. */
static const char *close_paren(const char *s)
{
	int depth = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '"' || *p == '\'') {
			char q = *p;
			for (p++; *p && *p != q; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				return NULL;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && --depth == 0) {
			return p;
		}
	}
	return NULL;
}

/* The string literals of argument `want` (0-based) of the call whose
 * arguments are [open+1, close), each passed to fn. */
static int arg_literals(const char *open, const char *close, int want, char out[][64], int max)
{
	int arg = 0, depth = 0, n = 0;
	for (const char *p = open + 1; p < close; p++) {
		if (*p == '"') {
			const char *b = p + 1;
			for (p++; p < close && *p != '"'; p++)
				if (*p == '\\')
					p++;
			if (arg == want && n < max && (size_t)(p - b) < 64) {
				memcpy(out[n], b, (size_t)(p - b));
				out[n][p - b] = '\0';
				n++;
			}
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			depth--;
		} else if (*p == ',' && depth == 0) {
			arg++;
		}
	}
	return n;
}

static void check_site(const char *file, const char *call, const char *open, int key_arg)
{
	char keys[4][64], names[2][64];
	const char *close = close_paren(open);
	assert_non_null(close);
	int nk = arg_literals(open, close, key_arg, keys, 4);
	for (int i = 0; i < nk; i++) {
		if (!tk_error_key_find(keys[i])) {
			fprintf(stderr, "%s: %s raises \"%s\", not in error_keys.c\n", file, call,
				keys[i]);
			problems++;
		}
		see(keys[i], "");
	}
	/* the params set right after it */
	const char *p = strchr(close, ';');
	while (p) {
		p++;
		p += strspn(p, " \t\n");
		if (strncmp(p, "tk_error_int(", 13) && strncmp(p, "tk_error_str(", 13))
			break;
		const char *o = p + 12, *c = close_paren(o);
		assert_non_null(c);
		/* a name chosen with the key (`money ? "max_fen" : "max"`) is
		 * one of the site's keys' params, and counts for those */
		int nn = arg_literals(o, c, 1, names, 2);
		for (int j = 0; j < nn; j++) {
			bool listed = false;
			for (int i = 0; i < nk; i++) {
				const struct tk_error_key *k = tk_error_key_find(keys[i]);
				if (k && tk_error_key_has_param(k, names[j])) {
					listed = true;
					see(keys[i], names[j]);
				}
			}
			if (!listed && nk) {
				fprintf(stderr, "%s: %s gives param \"%s\", not listed\n", file,
					keys[0], names[j]);
				problems++;
			}
		}
		p = strchr(c, ';');
	}
}

static void scan_text(const char *file, const char *text)
{
	static const struct {
		const char *call;
		int key_arg;
	} calls[] = {{"tk_fail_key(", 3}, {"fail_with(", 2}};
	for (size_t c = 0; c < sizeof(calls) / sizeof(calls[0]); c++)
		for (const char *p = strstr(text, calls[c].call); p;
		     p = strstr(p + 1, calls[c].call)) {
			if (p > text && (p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z')))
				continue; /* another name ending alike */
			check_site(file, calls[c].call, p + strlen(calls[c].call) - 1,
				   calls[c].key_arg);
		}
	/* codes set outright are keys too (an error without a key of its own) */
	static const char *const sets[] = {"err_code = \"", "early_code = \""};
	for (size_t s = 0; s < 2; s++)
		for (const char *p = strstr(text, sets[s]); p; p = strstr(p + 1, sets[s])) {
			char code[64];
			const char *b = p + strlen(sets[s]);
			size_t n = strcspn(b, "\"");
			assert_true(n < sizeof(code));
			memcpy(code, b, n);
			code[n] = '\0';
			if (!tk_error_key_find(code)) {
				fprintf(stderr, "%s: code \"%s\" not in error_keys.c\n", file, code);
				problems++;
			}
		}
}

static int scan_dir(const char *dir)
{
	int files = 0;
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		char path[1024];
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			files += scan_dir(path);
			continue;
		}
		size_t len = strlen(e->d_name);
		if (len < 3 || strcmp(e->d_name + len - 2, ".c"))
			continue;
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		fseek(f, 0, SEEK_END);
		long size = ftell(f);
		fseek(f, 0, SEEK_SET);
		char *text = malloc((size_t)size + 1);
		assert_non_null(text);
		assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
		text[size] = '\0';
		fclose(f);
		scan_text(path, text);
		free(text);
		files++;
	}
	closedir(d);
	return files;
}

static void every_raised_key_is_listed_with_its_params(void **state)
{
	(void)state;
	const char *fx = getenv("TUIKE_FIXTURES");
	assert_non_null(fx);
	char src[1024];
	snprintf(src, sizeof(src), "%s/../../src", fx);
	n_seen = problems = 0;
	assert_true(scan_dir(src) > 100);
	/* every dotted key is raised, with each param it lists */
	size_t n;
	const struct tk_error_key *k = tk_error_keys(&n);
	for (size_t i = 0; i < n; i++) {
		if (!strchr(k[i].key, '.'))
			continue; /* a code: raised by status, not always by name */
		bool raised = false;
		for (int j = 0; j < n_seen; j++)
			raised |= !strcmp(seen[j].key, k[i].key) && !seen[j].param[0];
		if (!raised) {
			fprintf(stderr, "error_keys.c lists \"%s\", raised nowhere\n", k[i].key);
			problems++;
		}
		for (const char *p = k[i].params; *p;) {
			size_t len = strcspn(p, " ");
			bool given = false;
			for (int j = 0; j < n_seen; j++)
				given |= !strcmp(seen[j].key, k[i].key) &&
					 strlen(seen[j].param) == len &&
					 !strncmp(seen[j].param, p, len);
			if (!given) {
				fprintf(stderr, "\"%s\" lists param \"%.*s\", given nowhere\n",
					k[i].key, (int)len, p);
				problems++;
			}
			p += len;
			p += strspn(p, " ");
		}
	}
	assert_int_equal(problems, 0);
}

static void scan_catches_an_unlisted_key(void **state)
{
	(void)state;
	/* the check can fail: a made-up key and param are reported */
	n_seen = problems = 0;
	scan_text("made-up.c", "rc = tk_fail_key(err, TK_EINVAL, \"x\", \"made.up\", \"m\");\n"
			       "\ttk_error_int(err, \"n\", 1);\n"
			       "rc = tk_fail_key(err, TK_EINVAL, \"x\", \"invite.unknown\", \"m\");\n"
			       "\ttk_error_str(err, \"nope\", \"v\");\n"
			       "c->err_code = \"no_such_code\";\n");
	assert_int_equal(problems, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(key_and_params_filled_then_cleared),
		cmocka_unit_test(registry_is_well_formed),
		cmocka_unit_test(every_raised_key_is_listed_with_its_params),
		cmocka_unit_test(scan_catches_an_unlisted_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
