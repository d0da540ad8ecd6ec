/* test_push_http.c — the libcurl transport against the local chat receiver
 * (tests/push/mock_chat.py, started here on 127.0.0.1): answers of every
 * HTTP status come back as answers, connections are kept alive, failures
 * and timeouts are errors that name the host and never the credential; and
 * the scripted fake the pusher's tests use. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "push/push_http.h"
#include "push_http_fake.h"

extern char **environ;

#define WECOM_KEY "wk-SECRET-0001"
#define TG_TOKEN "123456:SECRET-TOKEN"

struct mock {
	pid_t pid;
	char dir[64];
	char base[64]; /* http://127.0.0.1:PORT */
};

static struct mock good, flaky;

static void path_in(const struct mock *m, const char *name, char *out, size_t size)
{
	snprintf(out, size, "%s/%s", m->dir, name);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = calloc(1, 1 << 20);
	size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
	(void)n;
	fclose(f);
	return buf;
}

static int count_lines(const char *path, const char *needle)
{
	char *text = slurp(path);
	int n = 0;
	for (char *line = text; line && *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		if (*line && (!needle || strstr(line, needle)))
			n++;
		line = end ? end + 1 : line + strlen(line);
	}
	free(text);
	return n;
}

/* Starts mock_chat.py with extra options (NULL-terminated); 0 on success. */
static int mock_start(struct mock *m, ...)
{
	const char *fixtures = getenv("TUIKE_FIXTURES");
	char script[1024], config[128], port[128], log[128], refused[128], violations[128];
	snprintf(script, sizeof(script), "%s/../push/mock_chat.py", fixtures ? fixtures : "tests/fixtures");
	snprintf(m->dir, sizeof(m->dir), "/tmp/push_http.XXXXXX");
	if (!mkdtemp(m->dir))
		return -1;
	path_in(m, "robots.json", config, sizeof(config));
	path_in(m, "port", port, sizeof(port));
	path_in(m, "log", log, sizeof(log));
	path_in(m, "refused", refused, sizeof(refused));
	path_in(m, "violations", violations, sizeof(violations));
	FILE *f = fopen(config, "w");
	if (!f)
		return -1;
	fputs("{\"wecom\": {\"" WECOM_KEY "\": {\"name\": \"w1\"}},\n"
	      " \"telegram\": {\"" TG_TOKEN "\": {\"name\": \"t1\", \"chats\": {\"-1001\": \"group\"}}}}\n",
	      f);
	fclose(f);
	const char *argv[32] = {"python3", script, "--config", config, "--port-file", port,
				"--log", log, "--refused", refused, "--violations", violations};
	size_t argc = 12;
	va_list ap;
	va_start(ap, m);
	for (const char *a; argc < 31 && (a = va_arg(ap, const char *)) != NULL;)
		argv[argc++] = a;
	va_end(ap);
	if (posix_spawnp(&m->pid, "python3", NULL, NULL, (char *const *)argv, environ) != 0)
		return -1;
	for (int i = 0; i < 200; i++) {
		char *text = slurp(port);
		if (text && *text) {
			snprintf(m->base, sizeof(m->base), "http://127.0.0.1:%s", text);
			free(text);
			return 0;
		}
		free(text);
		usleep(50 * 1000);
	}
	return -1;
}

static void mock_stop(struct mock *m)
{
	if (m->pid > 0) {
		kill(m->pid, SIGTERM);
		waitpid(m->pid, NULL, 0);
		m->pid = 0;
	}
	const char *names[] = {"robots.json", "port", "log", "refused", "violations"};
	char path[128];
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		path_in(m, names[i], path, sizeof(path));
		unlink(path);
	}
	rmdir(m->dir);
}

static int setup(void **state)
{
	(void)state;
	if (mock_start(&good, (const char *)NULL) != 0)
		return -1;
	return mock_start(&flaky, "--fail-every", "1", (const char *)NULL);
}

static int teardown(void **state)
{
	(void)state;
	mock_stop(&good);
	mock_stop(&flaky);
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *const JSON_HEADERS[] = {"Content-Type: application/json"};

/* A WeCom text message to the mock m with key; sim_ms > 0 adds the
 * simulated clock's header. */
static enum tk_rc send_wecom(struct push_transport *t, const struct mock *m, const char *key,
			     const char *text, int64_t sim_ms, struct push_http_reply *reply,
			     struct tk_error *err)
{
	char url[256], body[512], sim[64];
	snprintf(url, sizeof(url), "%s/cgi-bin/webhook/send?key=%s", m->base, key);
	snprintf(body, sizeof(body), "{\"msgtype\":\"text\",\"text\":{\"content\":\"%s\"}}", text);
	snprintf(sim, sizeof(sim), "X-Sim-Time-Ms: %lld", (long long)sim_ms);
	const char *headers[] = {JSON_HEADERS[0], sim};
	struct push_http_request req = {.url = url, .headers = headers, .n_headers = sim_ms > 0 ? 2 : 1,
					.body = body, .body_len = strlen(body)};
	return push_http_send(t, &req, reply, err);
}

static void delivers_on_a_fresh_connection_each(void **state)
{
	(void)state;
	struct push_transport *t = NULL;
	struct tk_error err = {0};
	struct push_http_reply reply;
	char log[128];
	path_in(&good, "log", log, sizeof(log));
	assert_int_equal(push_http_curl_open(&t, &err), TK_OK);

	assert_int_equal(send_wecom(t, &good, WECOM_KEY, "first", 1767225600000, &reply, &err), TK_OK);
	assert_int_equal(reply.status, 200);
	assert_string_equal(reply.body, "{\"errcode\": 0, \"errmsg\": \"ok\"}");
	assert_int_equal(reply.len, strlen(reply.body));
	assert_false(reply.truncated);
	assert_string_equal(reply.error, "");
	push_http_reply_free(&reply);
	assert_int_equal(send_wecom(t, &good, WECOM_KEY, "second", 1767225601000, &reply, &err), TK_OK);
	assert_int_equal(reply.status, 200);
	push_http_reply_free(&reply);

	/* both delivered, in simulated time, each over a connection of its own
	 * (two client ports): a reused connection could have libcurl send a
	 * request twice */
	assert_int_equal(count_lines(log, "\"t_ms\": 1767225600000"), 1);
	assert_int_equal(count_lines(log, "\"t_ms\": 1767225601000"), 1);
	char *text = slurp(log);
	assert_non_null(text);
	char *p1 = strstr(text, "\"peer\": "), *p2 = p1 ? strstr(p1 + 1, "\"peer\": ") : NULL;
	assert_non_null(p2);
	assert_int_not_equal(strtol(p1 + 8, NULL, 10), strtol(p2 + 8, NULL, 10));
	free(text);
	push_http_close(t);
}

static void a_refusal_is_an_answer(void **state)
{
	(void)state;
	struct push_transport *t = NULL;
	struct tk_error err = {0};
	struct push_http_reply reply;
	assert_int_equal(push_http_curl_open(&t, &err), TK_OK);

	/* an unknown key: the platform's own error, HTTP 200 */
	assert_int_equal(send_wecom(t, &good, "wk-unknown", "x", 1767225700000, &reply, &err), TK_OK);
	assert_int_equal(reply.status, 200);
	assert_non_null(strstr(reply.body, "\"errcode\": 93000"));
	push_http_reply_free(&reply);

	/* Telegram's limit: HTTP 429 with retry_after in the body */
	char url[256];
	snprintf(url, sizeof(url), "%s/bot%s/sendMessage", good.base, TG_TOKEN);
	const char *body = "{\"chat_id\":-1001,\"text\":\"<b>hi</b>\",\"parse_mode\":\"HTML\"}";
	const char *headers[] = {JSON_HEADERS[0], "X-Sim-Time-Ms: 1767225700000"};
	struct push_http_request req = {.url = url, .headers = headers, .n_headers = 2,
					.body = body, .body_len = strlen(body)};
	assert_int_equal(push_http_send(t, &req, &reply, &err), TK_OK);
	assert_int_equal(reply.status, 200);
	assert_non_null(strstr(reply.body, "\"ok\": true"));
	push_http_reply_free(&reply);
	assert_int_equal(push_http_send(t, &req, &reply, &err), TK_OK);
	assert_int_equal(reply.status, 429);
	assert_non_null(strstr(reply.body, "\"retry_after\": 1"));
	push_http_reply_free(&reply);
	push_http_close(t);
}

/* err and reply name the host and hold nothing of the URL's path or query */
static void assert_no_credential(const struct push_http_reply *reply, const struct tk_error *err,
				 const char *host)
{
	char text[1024];
	tk_error_format(err, text, sizeof(text));
	assert_non_null(strstr(reply->error, host));
	assert_non_null(strstr(text, host));
	assert_null(strstr(reply->error, "SECRET"));
	assert_null(strstr(text, "SECRET"));
	assert_null(strstr(text, "webhook"));
	assert_null(strstr(text, "/bot"));
}

static void failures_name_the_host_only(void **state)
{
	(void)state;
	struct push_transport *t = NULL;
	struct tk_error err = {0};
	struct push_http_reply reply;
	const char *host = flaky.base + strlen("http://");
	assert_int_equal(push_http_curl_open(&t, &err), TK_OK);

	/* --fail-every 1: an HTTP 500 (an answer), then a reset partway through
	 * the answer, then a 3 s delay (past our 1 s time limit) */
	assert_int_equal(send_wecom(t, &flaky, WECOM_KEY, "a", 1767225800000, &reply, &err), TK_OK);
	assert_int_equal(reply.status, 500);
	push_http_reply_free(&reply);

	assert_int_equal(send_wecom(t, &flaky, WECOM_KEY, "b", 1767225801000, &reply, &err), TK_EIO);
	assert_int_equal(reply.status, 0);
	assert_null(reply.body);
	assert_true(reply.maybe_sent);
	assert_no_credential(&reply, &err, host);
	push_http_reply_free(&reply);

	char url[256];
	snprintf(url, sizeof(url), "%s/bot%s/sendMessage", flaky.base, TG_TOKEN);
	const char *body = "{\"chat_id\":-1001,\"text\":\"x\"}";
	struct push_http_request req = {.url = url, .headers = JSON_HEADERS, .n_headers = 1,
					.body = body, .body_len = strlen(body), .timeout_ms = 1000};
	int64_t t0 = now_ms();
	assert_int_equal(push_http_send(t, &req, &reply, &err), TK_EIO);
	int64_t took = now_ms() - t0;
	assert_true(took >= 900 && took < 2500);
	assert_int_equal(reply.status, 0);
	assert_true(reply.maybe_sent);
	assert_no_credential(&reply, &err, host);
	assert_non_null(strstr(reply.error, "timed out")); /* curl: "Operation timed out after ..." */
	push_http_reply_free(&reply);

	/* nothing listens: it surely was not sent */
	struct push_http_request gone = {.url = "http://127.0.0.1:9/cgi-bin/webhook/send?key=" WECOM_KEY,
					 .body = "{}", .body_len = 2};
	assert_int_equal(push_http_send(t, &gone, &reply, &err), TK_EIO);
	assert_false(reply.maybe_sent);
	assert_no_credential(&reply, &err, "127.0.0.1:9");
	push_http_reply_free(&reply);

	/* a host that cannot be resolved, user:password in the URL */
	struct push_http_request bad = {.url = "http://user:SECRETPW@no-such-host.invalid/botSECRET/x",
					.body = "{}", .body_len = 2};
	assert_int_equal(push_http_send(t, &bad, &reply, &err), TK_EIO);
	assert_false(reply.maybe_sent);
	assert_no_credential(&reply, &err, "no-such-host.invalid");
	push_http_reply_free(&reply);
	push_http_close(t);

	/* none of those was delivered */
	char log[128];
	path_in(&flaky, "log", log, sizeof(log));
	assert_int_equal(count_lines(log, NULL), 0);
}

static void requests_are_checked(void **state)
{
	(void)state;
	struct push_transport *t = NULL;
	struct tk_error err = {0};
	struct push_http_reply reply;
	assert_int_equal(push_http_curl_open(&t, &err), TK_OK);
	struct push_http_request req = {.url = NULL};
	assert_int_equal(push_http_send(t, &req, &reply, &err), TK_EINVAL);
	assert_string_equal(err.field, "url");

	req.url = "http://127.0.0.1:9/?key=SECRET";
	req.method = "PUT";
	assert_int_equal(push_http_send(t, &req, &reply, &err), TK_EINVAL);
	assert_string_equal(err.field, "method");

	req.method = NULL;
	const char *many[PUSH_HTTP_MAX_HEADERS + 1];
	for (size_t i = 0; i <= PUSH_HTTP_MAX_HEADERS; i++)
		many[i] = "X-A: b";
	req.headers = many;
	req.n_headers = PUSH_HTTP_MAX_HEADERS + 1;
	assert_int_equal(push_http_send(t, &req, &reply, &err), TK_EINVAL);
	assert_string_equal(err.field, "headers");
	const char *split[] = {"X-A: b\r\nX-Injected: c"};
	req.headers = split;
	req.n_headers = 1;
	assert_int_equal(push_http_send(t, &req, &reply, &err), TK_EINVAL);

	req.n_headers = 0;
	req.body = "x";
	req.body_len = PUSH_HTTP_MAX_BODY + 1;
	assert_int_equal(push_http_send(t, &req, &reply, &err), TK_ELIMIT);
	assert_string_equal(err.field, "body");
	char text[1024];
	tk_error_format(&err, text, sizeof(text));
	assert_null(strstr(text, "SECRET"));
	push_http_close(t);
	push_http_close(NULL);
}

static void host_of_a_url(void **state)
{
	(void)state;
	char host[64];
	push_http_host("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K", host, sizeof(host));
	assert_string_equal(host, "qyapi.weixin.qq.com");
	push_http_host("http://127.0.0.1:8080?x=1", host, sizeof(host));
	assert_string_equal(host, "127.0.0.1:8080");
	push_http_host("https://u:p@api.telegram.org/bot1:T/sendMessage", host, sizeof(host));
	assert_string_equal(host, "api.telegram.org");
	push_http_host("https:///path", host, sizeof(host));
	assert_string_equal(host, "(no host)");
	push_http_host(NULL, host, sizeof(host));
	assert_string_equal(host, "(no host)");
	push_http_host("https://open.feishu.cn/x", host, 5);
	assert_string_equal(host, "open");
}

static void on_third(void *ctx, size_t i, const struct push_http_request *req,
		     struct push_http_fake_step *out)
{
	(void)req;
	*(size_t *)ctx = i;
	out->status = 200;
	out->body = i == 2 ? "{\"errcode\":45009}" : "{\"errcode\":0}";
}

static void the_fake_records_and_answers_its_script(void **state)
{
	(void)state;
	static const struct push_http_fake_step script[] = {
		{.status = 200, .body = "{\"errcode\":0}"},
		{.error = "connection reset", .maybe_sent = true},
		{.status = 429, .body = NULL, .retry_after = 7},
	};
	struct push_http_fake f;
	struct tk_error err = {0};
	struct push_http_reply reply;
	push_http_fake_init(&f, script, 3);
	struct push_transport *t = &f.base;
	const char *headers[] = {"Content-Type: application/json", "X-Sim-Time-Ms:  42"};
	struct push_http_request req = {.url = "https://oapi.dingtalk.com/robot/send?access_token=SECRET",
					.headers = headers, .n_headers = 2, .body = "{\"a\":1}",
					.body_len = 7, .timeout_ms = 3000};

	assert_int_equal(push_http_send(t, &req, &reply, &err), TK_OK);
	assert_int_equal(reply.status, 200);
	assert_string_equal(reply.body, "{\"errcode\":0}");
	push_http_reply_free(&reply);

	assert_int_equal(push_http_send(t, &req, &reply, &err), TK_EIO);
	assert_true(reply.maybe_sent);
	assert_string_equal(reply.error, "oapi.dingtalk.com: connection reset");
	assert_null(strstr(err.msg, "SECRET"));
	push_http_reply_free(&reply);

	req.method = "GET";
	assert_int_equal(push_http_send(t, &req, &reply, &err), TK_OK);
	assert_int_equal(reply.status, 429);
	assert_string_equal(reply.body, "");
	assert_int_equal(reply.retry_after, 7);
	push_http_reply_free(&reply);

	assert_int_equal(push_http_send(t, &req, &reply, &err), TK_EIO);
	assert_non_null(strstr(reply.error, "script exhausted"));
	push_http_reply_free(&reply);

	assert_int_equal(f.n_calls, 4);
	const struct push_http_fake_call *c = push_http_fake_call(&f, 0);
	assert_string_equal(c->method, "POST");
	assert_string_equal(c->url, req.url);
	assert_string_equal(c->body, "{\"a\":1}");
	assert_int_equal(c->timeout_ms, 3000);
	assert_string_equal(push_http_fake_header(c, "x-sim-time-ms"), "42");
	assert_null(push_http_fake_header(c, "X-Sim"));
	assert_string_equal(push_http_fake_call(&f, 2)->method, "GET");
	assert_null(push_http_fake_call(&f, 4));
	push_http_close(t);
	assert_int_equal(f.n_calls, 0);

	/* an answer function instead of the script */
	size_t last = 99;
	push_http_fake_init(&f, NULL, 0);
	f.answer = on_third;
	f.ctx = &last;
	req.method = NULL;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(push_http_send(t, &req, &reply, &err), TK_OK);
		push_http_reply_free(&reply);
	}
	assert_int_equal(last, 2);
	assert_int_equal(push_http_send(t, &req, &reply, &err), TK_OK);
	assert_string_equal(reply.body, "{\"errcode\":0}");
	push_http_reply_free(&reply);
	push_http_close(t);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(delivers_on_a_fresh_connection_each),
		cmocka_unit_test(a_refusal_is_an_answer),
		cmocka_unit_test(failures_name_the_host_only),
		cmocka_unit_test(requests_are_checked),
		cmocka_unit_test(host_of_a_url),
		cmocka_unit_test(the_fake_records_and_answers_its_script),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
