/* sync_config.c — loading the sync configuration from a file and the
 * environment, with every value checked and no secret ever echoed. */
#include "feeds/sync_config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/line_reader.h"

#define CONF_LINE_MAX 2048
#define CONF_LINES_MAX 1000

static const char *const union_names[SYNC_UNIONS] = {"jd", "taobao", "pdd"};
/* JD: 1 hour; Taobao: 3 hours (20 minutes in big promotions: set
 * taobao.window = 20m); Pinduoduo: 24 hours. */
static const int64_t max_windows[SYNC_UNIONS] = {3600, 3 * 3600, 24 * 3600};
static const int max_pages[SYNC_UNIONS] = {500, 100, 100};
static const int max_product_pages[SYNC_UNIONS] = {50, 100, 100};
/* JD's "好券商品" elite list unless told otherwise; Taobao's search needs
 * terms; Pinduoduo searches without a keyword. */
static const char *const default_products[SYNC_UNIONS] = {"1", "", ""};
static const char *const default_urls[SYNC_UNIONS] = {
	"https://api.jd.com/routerjson",
	"https://eco.taobao.com/router/rest",
	"https://gw-api.pinduoduo.com/api/router",
};

const char *sync_union_name(enum sync_union u)
{
	return (unsigned)u < SYNC_UNIONS ? union_names[u] : "?";
}

bool sync_union_parse(const char *s, enum sync_union *out)
{
	for (int i = 0; i < SYNC_UNIONS; i++)
		if (strcmp(s, union_names[i]) == 0) {
			*out = (enum sync_union)i;
			return true;
		}
	return false;
}

int64_t sync_union_max_window(enum sync_union u)
{
	return max_windows[u];
}

int sync_union_max_product_page(enum sync_union u)
{
	return max_product_pages[u];
}

bool sync_conf_has(const struct sync_conf *c, enum sync_union u)
{
	return c->u[u].app_key[0] && c->u[u].app_secret[0];
}

bool sync_duration_ms(const char *s, int64_t *ms)
{
	char *end;
	errno = 0;
	if (!isdigit((unsigned char)*s))
		return false;
	long long v = strtoll(s, &end, 10);
	int64_t unit;
	if (errno || v <= 0 || v > 100LL * 365 * 86400)
		return false;
	if (strcmp(end, "ms") == 0)
		unit = 1;
	else if (*end == '\0' || strcmp(end, "s") == 0)
		unit = 1000;
	else if (strcmp(end, "m") == 0)
		unit = 60 * 1000;
	else if (strcmp(end, "h") == 0)
		unit = 3600 * 1000;
	else
		return false;
	*ms = v * unit;
	return true;
}

static bool int_value(const char *s, int64_t *v)
{
	char *end;
	errno = 0;
	long long x = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return false;
	*v = x;
	return true;
}

enum key_kind {
	K_TEXT, K_SECRET, K_URL, K_WINDOW, K_PAGE, K_SCENES, K_SITE, K_PID, K_RETRIES, K_MS, K_SECONDS,
	K_ONOFF, K_DAYS, K_PRODUCTS, K_PRODUCT_PAGES, K_PRODUCT_PAGE, K_REG, K_QUERIES, K_CHANNELS,
	K_PULL_S, K_OAUTH
};

struct key {
	const char *name; /* after "<union>." or "sync." */
	enum key_kind kind;
};

static const struct key union_keys[] = {
	{"app_key", K_TEXT},    {"app_secret", K_SECRET}, {"url", K_URL},
	{"window", K_WINDOW},   {"page_size", K_PAGE},    {"order_scene", K_SCENES},
	{"site_id", K_SITE},    {"pid", K_PID},
	{"products", K_PRODUCTS}, {"product_pages", K_PRODUCT_PAGES},
	{"product_page_size", K_PRODUCT_PAGE}, {"product_queries", K_QUERIES},
	{"product_channels", K_CHANNELS}, {"product_pull_seconds", K_PULL_S},
	{"union_id", K_REG}, {"position_key", K_REG},
	{"channel_invite_code", K_REG}, {"member_invite_code", K_REG},
	{"oauth_url", K_OAUTH},
};
static const struct key sync_keys[] = {
	{"retries", K_RETRIES},
	{"retry_base", K_MS},
	{"retry_max", K_MS},
	{"timeout", K_SECONDS},
	{"overlap", K_SECONDS},
};
static const struct key convert_keys[] = {
	{"demo", K_ONOFF},
	{"ttl_days", K_DAYS},
	{"refresh_days", K_DAYS},
};

static bool scenes_valid(const char *s)
{
	/* comma-separated order_scene values 1, 2, 3 */
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '1' || *s > '3')
			return false;
		if (s[1] == ',')
			s++;
		else if (s[1])
			return false;
	}
	return true;
}

/* A site id or pid: digits and '_' (Taobao's: exactly mm_D_D_D), short. */
static bool id_valid(const char *s, bool taobao_pid)
{
	size_t n = strlen(s);
	if (n == 0 || n >= SYNC_ID_MAX)
		return false;
	if (taobao_pid) {
		int parts = 0;
		if (!isdigit((unsigned char)s[n - 1]))
			return false;
		if (strncmp(s, "mm_", 3) != 0)
			return false;
		for (s += 3; *s; s++) {
			if (!isdigit((unsigned char)*s))
				return false;
			while (isdigit((unsigned char)s[1]))
				s++;
			parts++;
			if (s[1] == '_')
				s++;
			else if (s[1])
				return false;
		}
		return parts == 3;
	}
	for (; *s; s++)
		if (!isdigit((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* The lists of a product feed: at most SYNC_PRODUCT_LISTS_MAX entries,
 * comma-separated, without control characters; JD's are eliteIds (digits;
 * "" for none, when its searches are enough). */
static bool products_valid(const char *s, enum sync_union u)
{
	int entries = 1;
	if (strlen(s) >= SYNC_PRODUCTS_MAX)
		return false;
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
		if (*s == ',')
			entries++;
		else if (u == SYNC_JD && !isdigit((unsigned char)*s))
			return false;
	}
	return entries <= SYNC_PRODUCT_LISTS_MAX;
}

/* JD's searches: like products_valid, each entry a keyword or
 * "cid1:N" / "cid2:N" / "cid3:N", none empty. */
static bool queries_valid(const char *s)
{
	char copy[SYNC_PRODUCTS_MAX], *save = copy;
	int entries = 0;
	if (!*s || strlen(s) >= SYNC_PRODUCTS_MAX || !products_valid(s, SYNC_TAOBAO))
		return false;
	snprintf(copy, sizeof(copy), "%s", s);
	for (bool last = false; !last;) {
		char *entry = save, *comma = strchr(save, ',');
		if (comma)
			*comma = '\0', save = comma + 1;
		else
			last = true;
		while (*entry == ' ')
			entry++;
		size_t n = strlen(entry);
		while (n && entry[n - 1] == ' ')
			entry[--n] = '\0';
		if (!n || ++entries > SYNC_PRODUCT_LISTS_MAX)
			return false;
		if (strncmp(entry, "cid", 3) == 0 && entry[3] >= '1' && entry[3] <= '3' &&
		    entry[4] == ':' && (!entry[5] || strspn(entry + 5, "0123456789") != n - 5 ||
					 n - 5 > 12))
			return false;
	}
	return true;
}

/* Pinduoduo's channel types: digits 0..8 but 3, comma-separated, each once
 * at most. */
static bool channels_valid(const char *s)
{
	unsigned seen = 0;
	if (!*s || strlen(s) >= SYNC_PRODUCT_CHANNELS_MAX)
		return false;
	for (; *s; s++) {
		while (*s == ' ')
			s++;
		if (*s < '0' || *s > '8' || *s == '3' || (seen & (1u << (*s - '0'))))
			return false;
		seen |= 1u << (*s - '0');
		while (s[1] == ' ')
			s++;
		if (s[1] == ',' && s[2])
			s++;
		else if (s[1])
			return false;
	}
	return true;
}

/* Sets one key; `where` names the source for errors. */
const char *const sync_push_keys[5] = {"wecom_base", "dingtalk_base", "feishu_base",
				       "telegram_base", "link_base"};

static enum tk_rc conf_set(struct sync_conf *c, const char *key, const char *value,
			   const char *where, struct tk_error *err)
{
	if (strncmp(key, "push.", 5) == 0) {
		for (int i = 0; i < 5; i++) {
			if (strcmp(key + 5, sync_push_keys[i]) != 0)
				continue;
			size_t n = strlen(value);
			if (n >= SYNC_URL_MAX || (strncmp(value, "http://", 7) != 0 &&
						  strncmp(value, "https://", 8) != 0))
				return tk_fail(err, TK_EINVAL, key,
					       "must be an http:// or https:// URL of at most %d "
					       "bytes (%s)", SYNC_URL_MAX - 1, where);
			while (n > 0 && value[n - 1] == '/')
				n--; /* no trailing slash: paths are added to it */
			snprintf(i < 4 ? c->push_base[i] : c->push_link_base, SYNC_URL_MAX, "%.*s",
				 (int)n, value);
			return TK_OK;
		}
	}
	const char *dot = strchr(key, '.');
	size_t plen = dot ? (size_t)(dot - key) : 0;
	enum sync_union u = SYNC_UNIONS;
	const struct key *keys = NULL;
	size_t n_keys = 0;
	int64_t v;

	for (int i = 0; dot && i < SYNC_UNIONS; i++)
		if (strlen(union_names[i]) == plen && strncmp(key, union_names[i], plen) == 0)
			u = (enum sync_union)i, keys = union_keys,
			n_keys = sizeof(union_keys) / sizeof(union_keys[0]);
	if (dot && plen == 4 && strncmp(key, "sync", 4) == 0)
		keys = sync_keys, n_keys = sizeof(sync_keys) / sizeof(sync_keys[0]);
	if (dot && plen == 7 && strncmp(key, "convert", 7) == 0)
		keys = convert_keys, n_keys = sizeof(convert_keys) / sizeof(convert_keys[0]);
	const struct key *k = NULL;
	for (size_t i = 0; i < n_keys; i++)
		if (strcmp(dot + 1, keys[i].name) == 0)
			k = &keys[i];
	bool jd_reg = k && k->kind == K_REG &&
		      (strcmp(dot + 1, "union_id") == 0 || strcmp(dot + 1, "position_key") == 0);
	if (!k || (k->kind == K_SCENES && u != SYNC_TAOBAO) || (k->kind == K_SITE && u != SYNC_JD) ||
	    (k->kind == K_PID && u == SYNC_JD) || (k->kind == K_OAUTH && u != SYNC_TAOBAO) ||
	    (k->kind == K_QUERIES && u != SYNC_JD) || (k->kind == K_CHANNELS && u != SYNC_PDD) ||
	    (k->kind == K_REG && (jd_reg ? u != SYNC_JD : u != SYNC_TAOBAO))) {
		tk_fail(err, TK_EINVAL, key, "is not a sync setting");
		goto fail;
	}
	struct sync_union_conf *uc = u < SYNC_UNIONS ? &c->u[u] : NULL;
	switch (k->kind) {
	case K_TEXT:
	case K_SECRET:
		if (strlen(value) >= SYNC_CRED_MAX) {
			tk_fail(err, TK_ELIMIT, key, "is at most %d bytes", SYNC_CRED_MAX - 1);
			goto fail;
		}
		snprintf(k->kind == K_TEXT ? uc->app_key : uc->app_secret, SYNC_CRED_MAX, "%s",
			 value);
		return TK_OK;
	case K_URL:
	case K_OAUTH:
		if (strlen(value) >= SYNC_URL_MAX ||
		    (strncmp(value, "http://", 7) != 0 && strncmp(value, "https://", 8) != 0)) {
			tk_fail(err, TK_EINVAL, key, "must be an http:// or https:// URL of at most %d "
				"bytes, got \"%.200s\"", SYNC_URL_MAX - 1, value);
			goto fail;
		}
		snprintf(k->kind == K_URL ? uc->url : uc->oauth_url, SYNC_URL_MAX, "%s", value);
		return TK_OK;
	case K_WINDOW:
		if (!sync_duration_ms(value, &v) || v % 1000 || v / 1000 > max_windows[u]) {
			tk_fail(err, TK_EINVAL, key, "must be whole seconds up to %llds (%s's limit), "
				"got \"%.40s\"", (long long)max_windows[u], union_names[u], value);
			goto fail;
		}
		uc->window_s = v / 1000;
		return TK_OK;
	case K_PAGE:
		if (!int_value(value, &v) || v < 10 || v > max_pages[u]) {
			tk_fail(err, TK_EINVAL, key, "must be 10..%d, got \"%.40s\"", max_pages[u], value);
			goto fail;
		}
		uc->page_size = (int)v;
		return TK_OK;
	case K_SCENES:
		if (strlen(value) >= sizeof(uc->order_scenes) || !scenes_valid(value)) {
			tk_fail(err, TK_EINVAL, key, "must list order scenes 1, 2, 3 (e.g. \"3,2,1\"), "
				"got \"%.40s\"", value);
			goto fail;
		}
		snprintf(uc->order_scenes, sizeof(uc->order_scenes), "%s", value);
		return TK_OK;
	case K_SITE:
	case K_PID:
		if (!id_valid(value, k->kind == K_PID && u == SYNC_TAOBAO)) {
			tk_fail(err, TK_EINVAL, key, "%s, got \"%.80s\"",
				k->kind == K_SITE ? "must be JD's site id (digits)"
				: u == SYNC_TAOBAO ? "must be a PID mm_<member>_<site>_<adzone>"
						   : "must be a Pinduoduo pid (digits and _)",
				value);
			goto fail;
		}
		snprintf(k->kind == K_SITE ? uc->site_id : uc->pid, SYNC_ID_MAX, "%s", value);
		return TK_OK;
	case K_REG: {
		/* union_id: digits; invite codes: letters and digits; the key:
		 * printable ASCII without spaces, a secret never shown */
		const char *name = dot + 1;
		bool digits = strcmp(name, "union_id") == 0, secret = strcmp(name, "position_key") == 0;
		size_t max = secret ? SYNC_CRED_MAX : SYNC_ID_MAX, n = strlen(value);
		bool ok = n > 0 && n < max;
		for (const char *q = value; ok && *q; q++)
			ok = digits ? isdigit((unsigned char)*q) != 0
			     : secret ? (*q > 0x20 && *q < 0x7f)
				      : isalnum((unsigned char)*q) != 0;
		if (!ok) {
			if (secret)
				tk_fail(err, TK_EINVAL, key, "must be JD's authorization key: 1..%zu "
					"printable characters without spaces", max - 1);
			else
				tk_fail(err, TK_EINVAL, key, "must be %s of at most %zu characters, "
					"got \"%.60s\"", digits ? "JD's unionId (digits)"
					: "Taobao's invite code (letters and digits)", max - 1, value);
			goto fail;
		}
		char *to = digits ? uc->union_id
			   : secret ? uc->position_key
			   : strcmp(name, "channel_invite_code") == 0 ? uc->channel_invite
								       : uc->member_invite;
		snprintf(to, max, "%s", value);
		return TK_OK;
	}
	case K_RETRIES:
		if (!int_value(value, &v) || v < 1 || v > 20) {
			tk_fail(err, TK_EINVAL, key, "must be 1..20 attempts, got \"%.40s\"", value);
			goto fail;
		}
		c->retries = (int)v;
		return TK_OK;
	case K_ONOFF:
		if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0) {
			tk_fail(err, TK_EINVAL, key, "must be on or off, got \"%.40s\"", value);
			goto fail;
		}
		c->convert_demo = strcmp(value, "on") == 0;
		return TK_OK;
	case K_DAYS:
		if (!int_value(value, &v) || v < 1 || v > 365) {
			tk_fail(err, TK_EINVAL, key, "must be 1..365 days, got \"%.40s\"", value);
			goto fail;
		}
		if (strcmp(dot + 1, "ttl_days") == 0)
			c->convert_ttl_days = (int)v;
		else
			c->convert_refresh_days = (int)v;
		return TK_OK;
	case K_PRODUCTS:
		if (!products_valid(value, u)) {
			tk_fail(err, TK_EINVAL, key, "must list at most %d %s, comma-separated, in at "
				"most %d bytes, got \"%.80s\"", SYNC_PRODUCT_LISTS_MAX,
				u == SYNC_JD ? "eliteIds (digits)" : "search terms",
				SYNC_PRODUCTS_MAX - 1, value);
			goto fail;
		}
		snprintf(uc->products, sizeof(uc->products), "%s", value);
		return TK_OK;
	case K_QUERIES:
		if (!queries_valid(value)) {
			tk_fail(err, TK_EINVAL, key, "must list 1..%d keywords or categories (cid1:N, "
				"cid2:N, cid3:N), comma-separated, in at most %d bytes, got \"%.80s\"",
				SYNC_PRODUCT_LISTS_MAX, SYNC_PRODUCTS_MAX - 1, value);
			goto fail;
		}
		snprintf(uc->product_queries, sizeof(uc->product_queries), "%s", value);
		return TK_OK;
	case K_CHANNELS:
		if (!channels_valid(value)) {
			tk_fail(err, TK_EINVAL, key, "must list channel types 0, 1, 2, 4..8 "
				"(e.g. \"1,5\"), each once, got \"%.40s\"", value);
			goto fail;
		}
		snprintf(uc->product_channels, sizeof(uc->product_channels), "%s", value);
		return TK_OK;
	case K_PULL_S:
		if (!int_value(value, &v) || v < 1 || v > SYNC_PRODUCT_PULL_S_MAX) {
			tk_fail(err, TK_EINVAL, key, "must be 1..%d seconds, got \"%.40s\"",
				SYNC_PRODUCT_PULL_S_MAX, value);
			goto fail;
		}
		uc->product_pull_s = v;
		return TK_OK;
	case K_PRODUCT_PAGES:
		if (!int_value(value, &v) || v < 1 || v > SYNC_PRODUCT_PAGES_MAX) {
			tk_fail(err, TK_EINVAL, key, "must be 1..%d pages, got \"%.40s\"",
				SYNC_PRODUCT_PAGES_MAX, value);
			goto fail;
		}
		uc->product_pages = (int)v;
		return TK_OK;
	case K_PRODUCT_PAGE:
		if (!int_value(value, &v) || v < 1 || v > max_product_pages[u]) {
			tk_fail(err, TK_EINVAL, key, "must be 1..%d, got \"%.40s\"",
				max_product_pages[u], value);
			goto fail;
		}
		uc->product_page_size = (int)v;
		return TK_OK;
	case K_MS:
	case K_SECONDS:
		if (!sync_duration_ms(value, &v) || v > 3600 * 1000) {
			tk_fail(err, TK_EINVAL, key, "must be a duration up to 1h (e.g. 500ms, 30s), got "
				"\"%.40s\"", value);
			goto fail;
		}
		if (strcmp(dot + 1, "retry_base") == 0)
			c->retry_base_ms = v;
		else if (strcmp(dot + 1, "retry_max") == 0)
			c->retry_max_ms = v;
		else if (strcmp(dot + 1, "timeout") == 0)
			c->timeout_s = (v + 999) / 1000;
		else
			c->overlap_s = v / 1000;
		return TK_OK;
	}
fail:
	if (where)
		tk_error_where(err, where, 0);
	return err->rc;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

/* A configuration file is read whole or not at all: its first bad line
 * (too long included) is the error. */
static enum tk_rc conf_file(struct sync_conf *c, const char *path, struct tk_error *err)
{
	FILE *f = fopen(path, "r");
	char line[CONF_LINE_MAX + 1], where[300];
	struct line_reader lr;
	enum line_got got;
	enum tk_rc rc = TK_OK;
	if (!f)
		return tk_fail(err, TK_ENOTFOUND, "config", "cannot open \"%s\": %s", path,
			       strerror(errno));
	line_reader_init(&lr, f, path, CONF_LINE_MAX);
	while (rc == TK_OK && (got = line_reader_next(&lr, err)) != LINE_END) {
		if (got != LINE_GOT) {
			rc = err->rc;
			break;
		}
		if (lr.lineno > CONF_LINES_MAX) {
			rc = tk_fail(err, TK_ELIMIT, "config", "at most %d lines", CONF_LINES_MAX);
			tk_error_where(err, path, lr.lineno);
			break;
		}
		memcpy(line, lr.s, lr.len + 1);
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			rc = tk_fail(err, TK_EINVAL, "config", "expected `key = value`");
			tk_error_where(err, path, lr.lineno);
			break;
		}
		*eq = '\0';
		snprintf(where, sizeof(where), "%s:%ld", path, lr.lineno);
		rc = conf_set(c, trim(s), trim(eq + 1), where, err);
	}
	line_reader_free(&lr);
	fclose(f);
	return rc;
}

/* TUIKE_JD_APP_SECRET for "jd.app_secret". */
static void env_name(const char *key, char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "TUIKE_");
	for (; *key && n + 1 < size; key++)
		buf[n++] = *key == '.' ? '_' : (char)toupper((unsigned char)*key);
	buf[n] = '\0';
}

static enum tk_rc conf_env(struct sync_conf *c, struct tk_error *err)
{
	char key[64], name[80];
	enum tk_rc rc;
	for (int u = 0; u <= SYNC_UNIONS + 1; u++) {
		const struct key *keys = u < SYNC_UNIONS ? union_keys
					 : u == SYNC_UNIONS ? sync_keys : convert_keys;
		size_t n = u < SYNC_UNIONS ? sizeof(union_keys) / sizeof(union_keys[0])
			   : u == SYNC_UNIONS ? sizeof(sync_keys) / sizeof(sync_keys[0])
					      : sizeof(convert_keys) / sizeof(convert_keys[0]);
		for (size_t i = 0; i < n; i++) {
			if ((keys[i].kind == K_SCENES || keys[i].kind == K_OAUTH) && u != SYNC_TAOBAO)
				continue;
			snprintf(key, sizeof(key), "%s.%s",
				 u < SYNC_UNIONS ? union_names[u] : u == SYNC_UNIONS ? "sync" : "convert",
				 keys[i].name);
			env_name(key, name, sizeof(name));
			const char *v = getenv(name);
			if (v && *v && (rc = conf_set(c, key, v, name, err)))
				return rc;
		}
	}
	for (int i = 0; i < 5; i++) {
		snprintf(key, sizeof(key), "push.%s", sync_push_keys[i]);
		env_name(key, name, sizeof(name));
		const char *v = getenv(name);
		if (v && *v && (rc = conf_set(c, key, v, name, err)))
			return rc;
	}
	return TK_OK;
}

enum tk_rc sync_conf_load(const char *path, struct sync_conf *c, struct tk_error *err)
{
	enum tk_rc rc;
	memset(c, 0, sizeof(*c));
	for (int u = 0; u < SYNC_UNIONS; u++) {
		snprintf(c->u[u].url, sizeof(c->u[u].url), "%s", default_urls[u]);
		c->u[u].window_s = max_windows[u];
		c->u[u].page_size = max_pages[u];
		snprintf(c->u[u].products, sizeof(c->u[u].products), "%s", default_products[u]);
		c->u[u].product_pages = SYNC_PRODUCT_PAGES_DEFAULT;
		c->u[u].product_page_size = max_product_pages[u];
		c->u[u].product_pull_s = SYNC_PRODUCT_PULL_S_DEFAULT;
	}
	snprintf(c->u[SYNC_TAOBAO].order_scenes, sizeof(c->u[SYNC_TAOBAO].order_scenes), "1");
	c->retries = 5;
	c->retry_base_ms = 1000;
	c->retry_max_ms = 60 * 1000;
	c->timeout_s = 60;
	c->overlap_s = 300;
	c->convert_ttl_days = 30;
	c->convert_refresh_days = 7;
	if (!path || !*path)
		path = getenv("TUIKE_CONFIG");
	if (path && *path && (rc = conf_file(c, path, err)))
		return rc;
	return conf_env(c, err);
}
