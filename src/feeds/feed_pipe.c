/* feed_pipe.c — a reader thread fills chunks of parsed rows; the calling
 * thread applies them.  Two chunks in flight are enough to keep both cores
 * busy: parsing a chunk takes about as long as applying one. */
#include "feeds/feed_pipe.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PIPE_CHUNK_ROWS 512
#define PIPE_CHUNKS 4

struct chunk {
	struct order_row rows[PIPE_CHUNK_ROWS];
	long lines[PIPE_CHUNK_ROWS];
	char *raw[PIPE_CHUNK_ROWS];
	int n;
};

struct pipe {
	pthread_mutex_t mu;
	pthread_cond_t changed;
	struct chunk *chunks;   /* ring of PIPE_CHUNKS */
	int head, count;        /* first full chunk, number of full chunks */
	bool done;              /* the reader has finished */
	bool stop;              /* the consumer wants the reader to stop */
	/* reader side */
	enum feed_format fmt;
	FILE *in;
	const char *name;
	feed_reject_cb reject;
	void *ctx;
	int64_t rejected;
	struct chunk *filling;
	enum tk_rc rc;
	struct tk_error err;
};

static void chunk_reset(struct chunk *c)
{
	for (int i = 0; i < c->n; i++) {
		free(c->raw[i]);
		c->raw[i] = NULL;
	}
	c->n = 0;
}

/* Hands the chunk being filled to the consumer and waits for a free one. */
static bool publish(struct pipe *p)
{
	pthread_mutex_lock(&p->mu);
	p->count++;
	pthread_cond_broadcast(&p->changed);
	while (p->count == PIPE_CHUNKS && !p->stop)
		pthread_cond_wait(&p->changed, &p->mu);
	bool go_on = !p->stop;
	p->filling = &p->chunks[(p->head + p->count) % PIPE_CHUNKS];
	pthread_mutex_unlock(&p->mu);
	chunk_reset(p->filling);
	return go_on;
}

static enum tk_rc collect(void *ctx, const struct order_row *row, long line,
			  struct tk_error *err)
{
	struct pipe *p = ctx;
	struct chunk *c = p->filling;
	c->rows[c->n] = *row;
	c->lines[c->n] = line;
	c->raw[c->n] = NULL;
	if (row->raw && !(c->raw[c->n] = strdup(row->raw)))
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	c->rows[c->n].raw = c->raw[c->n];
	if (++c->n == PIPE_CHUNK_ROWS && !publish(p))
		return tk_fail(err, TK_EIO, "", "stopped");
	return TK_OK;
}

static void count_reject(void *ctx, const struct tk_error *err)
{
	struct pipe *p = ctx;
	p->rejected++;
	p->reject(p->ctx, err);
}

static void *reader(void *arg)
{
	struct pipe *p = arg;
	p->rc = feed_read(p->fmt, p->in, p->name, collect, count_reject, p, &p->err);
	pthread_mutex_lock(&p->mu);
	if (p->filling->n > 0 && !p->stop)
		p->count++;
	p->done = true;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

enum tk_rc feed_read_pipelined(enum feed_format fmt, FILE *in, const char *name,
			       feed_row_cb cb, feed_reject_cb reject, void *ctx,
			       int64_t *rejected, struct tk_error *err)
{
	return feed_read_pipelined_ahead(fmt, in, name, NULL, cb, reject, ctx, rejected, err);
}

enum tk_rc feed_read_pipelined_ahead(enum feed_format fmt, FILE *in, const char *name,
				     feed_chunk_cb ahead, feed_row_cb cb, feed_reject_cb reject,
				     void *ctx, int64_t *rejected, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	struct pipe p = {.fmt = fmt, .in = in, .name = name, .reject = reject, .ctx = ctx};
	pthread_t thread;
	*rejected = 0;
	p.chunks = calloc(PIPE_CHUNKS, sizeof(*p.chunks));
	if (!p.chunks)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	p.filling = &p.chunks[0];
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.changed, NULL);
	if (pthread_create(&thread, NULL, reader, &p) != 0) {
		rc = tk_fail(err, TK_EIO, "", "cannot start the reader thread");
		goto out;
	}
	for (;;) {
		pthread_mutex_lock(&p.mu);
		while (p.count == 0 && !p.done)
			pthread_cond_wait(&p.changed, &p.mu);
		if (p.count == 0) { /* done and drained */
			pthread_mutex_unlock(&p.mu);
			break;
		}
		struct chunk *c = &p.chunks[p.head];
		pthread_mutex_unlock(&p.mu);

		if (ahead && c->n > 0) {
			struct tk_error rerr = {0};
			enum tk_rc r = ahead(ctx, c->rows, c->n, &rerr);
			if (r) {
				*err = rerr;
				rc = r;
			}
		}
		for (int i = 0; i < c->n && !rc; i++) {
			struct tk_error rerr = {0};
			enum tk_rc r = cb(ctx, &c->rows[i], c->lines[i], &rerr);
			if (r == TK_EIO || r == TK_ENOMEM) {
				*err = rerr;
				rc = r;
			} else if (r) { /* rejected by the consumer */
				tk_error_where(&rerr, name, c->lines[i]);
				reject(ctx, &rerr);
				(*rejected)++;
			}
		}
		pthread_mutex_lock(&p.mu);
		p.head = (p.head + 1) % PIPE_CHUNKS;
		p.count--;
		if (rc)
			p.stop = true;
		pthread_cond_broadcast(&p.changed);
		pthread_mutex_unlock(&p.mu);
		if (rc)
			break;
	}
	pthread_join(thread, NULL);
	if (!rc && p.rc) {
		rc = p.rc;
		*err = p.err;
	}
	*rejected += p.rejected;
out:
	for (int i = 0; i < PIPE_CHUNKS; i++)
		chunk_reset(&p.chunks[i]);
	free(p.chunks);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.changed);
	return rc;
}
