/* receiver.c — the push benchmark's local receiver: answers every chat
 * platform's send request at once with its success reply (WeCom and
 * DingTalk errcode 0, Feishu code 0, Telegram ok), reads and drops the
 * body, and counts what it answered.  No limits, no signatures checked:
 * it measures the sender, not itself.
 *
 *   receiver PORT_FILE COUNT_FILE    (runs until SIGTERM; writes the port
 *                                     it listens on, then, at the end, the
 *                                     number of requests answered) */
#include <microhttpd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_long answered;
static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static const char *reply_for(const char *url)
{
	if (strncmp(url, "/open-apis/", 11) == 0)
		return "{\"code\":0,\"msg\":\"success\",\"data\":{}}";
	if (strncmp(url, "/bot", 4) == 0)
		return "{\"ok\":true,\"result\":{\"message_id\":1}}";
	return "{\"errcode\":0,\"errmsg\":\"ok\"}";
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	(void)cls, (void)method, (void)version, (void)upload;
	if (!*con_cls) { /* first call: headers only */
		*con_cls = (void *)1;
		return MHD_YES;
	}
	if (*upload_size) { /* the body, dropped */
		*upload_size = 0;
		return MHD_YES;
	}
	const char *text = reply_for(url);
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "application/json");
	enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	atomic_fetch_add(&answered, 1);
	return ok;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: receiver PORT_FILE COUNT_FILE\n");
		return 2;
	}
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_INTERNAL_THREAD, 0, NULL, NULL,
		handle, NULL, MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "receiver: cannot listen\n");
		return 1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	FILE *f = fopen(argv[1], "w");
	if (!f || fprintf(f, "%u\n", (unsigned)info->port) < 0 || fclose(f)) {
		fprintf(stderr, "receiver: cannot write %s\n", argv[1]);
		return 1;
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	while (!stop)
		pause();
	MHD_stop_daemon(d);
	f = fopen(argv[2], "w");
	if (f) {
		fprintf(f, "%ld\n", (long)atomic_load(&answered));
		fclose(f);
	}
	return 0;
}
