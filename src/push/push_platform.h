/* push_platform.h — what differs between the chat platforms a group sends
 * to (WeCom group robot, DingTalk custom robot, Feishu/Lark custom bot,
 * Telegram bot): their rate limits, their content limits, the HTTP request
 * that carries a rendered message (URL with the credential and signature,
 * headers, JSON body), and their reply read into what the pusher does next.
 *
 * Pure: no I/O, no clock (the time is passed in).  The credential and the
 * signing secret never appear in an error message or an outcome. */
#ifndef TK_PUSH_PLATFORM_H
#define TK_PUSH_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "push/push_bucket.h"

enum push_kind { PUSH_WECOM, PUSH_DINGTALK, PUSH_FEISHU, PUSH_TELEGRAM, PUSH_MANUAL };

const char *push_kind_name(enum push_kind k);
bool push_kind_parse(const char *s, enum push_kind *k);

/* ---- limits ---- */

/* The limits of one group's robot (for Telegram: of one chat), lowered to
 * rate_per_minute when that is above 0 and below the platform's per-minute
 * figure: WeCom 20/60 s; DingTalk 20/60 s; Feishu 100/60 s and 5/1 s;
 * Telegram 20/60 s and 1/1 s per chat; manual none.  out holds
 * PUSH_LIMITS_MAX; returns how many. */
int push_platform_limits(enum push_kind k, int rate_per_minute, struct push_limit *out);

/* A limit shared by every group of one bot token (Telegram: about 30/1 s
 * per bot); false when the kind has none. */
bool push_platform_bot_limit(enum push_kind k, struct push_limit *out);

/* Whether a group's rate_per_minute fits the kind (0, or at most the
 * platform's per-minute figure); err names settings.rate_per_minute. */
enum tk_rc push_platform_check_rate(enum push_kind k, int rate_per_minute, struct tk_error *err);

/* What a message may hold, per kind.  Lengths are bytes, except Telegram's
 * text and caption, which count UTF-16 code units (catalog_copy_measure
 * with CHANNEL_TELEGRAM).  0 = the kind has no such message. */
struct push_content_limits {
	size_t text;       /* text message */
	size_t markdown;   /* markdown / rich text / HTML message */
	size_t news_title; /* WeCom news article, DingTalk link, Feishu card header */
	size_t news_text;  /* their description; Telegram: the photo caption */
	size_t body;       /* the whole JSON body */
	bool utf16;        /* text, markdown and news_text count UTF-16 units */
};
const struct push_content_limits *push_platform_content(enum push_kind k);

/* ---- the request ---- */

/* A rendered message (push_render fills it): the kind's JSON message
 * object without what the request adds (Feishu's timestamp and sign,
 * Telegram's chat_id), and for Telegram the method. */
#define PUSH_BODY_MAX 65536
struct push_message {
	enum push_kind kind;
	char method[16]; /* Telegram "sendMessage" | "sendPhoto"; else "" */
	char *body;      /* malloc'd JSON object text; push_message_free frees it */
};
void push_message_free(struct push_message *m);

struct push_credentials {
	const char *credential;  /* WeCom key, DingTalk access_token, Feishu hook token, bot token */
	const char *sign_secret; /* DingTalk / Feishu signing secret; "" or NULL = unsigned */
	const char *chat_id;     /* Telegram chat id */
};

#define PUSH_URL_MAX 1024
#define PUSH_BASE_MAX 256
#define PUSH_CREDENTIAL_MAX 256
#define PUSH_HEADERS_MAX 2

struct push_request {
	const char *method;                    /* "POST" */
	char url[PUSH_URL_MAX];                /* holds the credential: never log it */
	const char *headers[PUSH_HEADERS_MAX]; /* "Name: value", static strings */
	int nheaders;
	char *body;                            /* malloc'd; push_request_free */
	size_t body_len;
};
void push_request_free(struct push_request *r);

/* The request that sends m to the group with credentials c at now_ms, on
 * base (the kind's base URL, "https://qyapi.weixin.qq.com", no trailing
 * path).  DingTalk with a secret gets &timestamp=<now_ms>&sign=<sign>;
 * Feishu with a secret gets "timestamp" (unix seconds as a string) and
 * "sign" in the body; Telegram gets chat_id.  TK_EINVAL for a manual group,
 * a bad base URL, a missing credential or chat id, or a credential with
 * characters a URL cannot carry as is (the value is not repeated);
 * TK_ELIMIT when the body is over the kind's limit.  On error r holds
 * nothing to free. */
enum tk_rc push_platform_request(const struct push_message *m, const char *base,
				 const struct push_credentials *c, int64_t now_ms,
				 struct push_request *r, struct tk_error *err);

/* Signatures (exposed for tests).  DingTalk: urlencode(base64(HMAC-SHA256(
 * key = secret, msg = "<timestamp_ms>\n<secret>"))); Feishu: base64(
 * HMAC-SHA256(key = "<timestamp_s>\n<secret>", msg = "")).  out holds
 * PUSH_SIGN_MAX bytes. */
#define PUSH_SIGN_MAX 128
void push_sign_dingtalk(const char *secret, int64_t timestamp_ms, char *out);
void push_sign_feishu(const char *secret, int64_t timestamp_s, char *out);

/* ---- the reply ---- */

#define PUSH_ATTEMPTS_MAX 5

enum push_result {
	PUSH_OK,    /* delivered */
	PUSH_RETRY, /* try the job again after retry_after_s */
	PUSH_PAUSE, /* the platform limited the robot: pause it pause_robot_s, job again after */
	PUSH_FATAL, /* the job failed: never retried by itself */
};

struct push_outcome {
	enum push_result result;
	int64_t retry_after_s; /* RETRY and PAUSE: when the job may go again */
	int64_t pause_robot_s; /* > 0: no send to this robot for so long (even when FATAL) */
	bool group_fatal;      /* the group's set-up is wrong (bad key, bot kicked): no job can go */
	char code[32];         /* the platform's code ("45009", "http_502", "transport") */
	char message[256];     /* the platform's message, credentials blanked out */
};

/* The wait before the attempt after `attempts` failed ones: 60 s doubling,
 * at most an hour. */
int64_t push_backoff_s(int attempts);

/* Reads a reply (HTTP status, 0 when none came; body of len bytes) to the
 * attempt-th attempt (1-based) into out.  Known codes per the platform
 * (an unknown hook or token — WeCom 93000, DingTalk 300001, Feishu 19001,
 * Telegram 401/404 — is FATAL for the group at once); an unknown non-zero
 * code or a 5xx is retried with push_backoff_s, and once attempt reaches
 * PUSH_ATTEMPTS_MAX the job is FATAL ("gave up after 5 attempts").  A
 * limit reply (PAUSE) is never turned FATAL: it is not an attempt.  c (may
 * be NULL) is blanked out of the message. */
void push_platform_reply(enum push_kind k, int http_status, const char *body, size_t len,
			 int attempt, const struct push_credentials *c, struct push_outcome *out);

const char *push_result_name(enum push_result r);

#endif
