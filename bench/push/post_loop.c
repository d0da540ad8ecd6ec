/* post_loop.c — the push benchmark's reference peer: N HTTP POSTs of a
 * WeCom text message (a realistic offer, the size tuike sends) to the same
 * local receiver, one after another on one kept-alive libcurl handle — what
 * a bare script posting to a robot costs, with nothing else around it.
 *
 *   post_loop URL N     (prints the seconds it took) */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static size_t drop(char *p, size_t size, size_t n, void *ctx)
{
	(void)p, (void)ctx;
	return size * n;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: post_loop URL N\n");
		return 2;
	}
	long n = strtol(argv[2], NULL, 10);
	static const char body[] =
		"{\"msgtype\":\"text\",\"text\":{\"content\":\"【好价】洗发水 400ml 家庭装 "
		"到手价 ¥29.90（券后，原价 ¥59.90）\\n领券下单：https://example.com/s/AbCdEf12\\n"
		"月销 1.2 万件，好评率 98%\"}}";
	curl_global_init(CURL_GLOBAL_DEFAULT);
	CURL *h = curl_easy_init();
	struct curl_slist *hd = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_setopt(h, CURLOPT_URL, argv[1]);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, drop);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++) {
		long status = 0;
		if (curl_easy_perform(h) != CURLE_OK ||
		    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK ||
		    status != 200) {
			fprintf(stderr, "post_loop: request %ld failed (HTTP %ld)\n", i, status);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.4f\n", (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	curl_slist_free_all(hd);
	curl_easy_cleanup(h);
	curl_global_cleanup();
	return 0;
}
