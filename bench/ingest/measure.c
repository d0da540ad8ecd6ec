/* measure.c — runs one command and appends its wall-clock seconds, peak
 * resident set size and exit status to a file, for the benchmark scripts.
 *
 *   measure OUTFILE LABEL COMMAND [ARGS...]
 *
 * Appends "LABEL SECONDS MAXRSS_KB EXIT" and exits with the command's status
 * (128 + signal when killed).  Build with -D_DEFAULT_SOURCE (for wait4). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: measure OUTFILE LABEL COMMAND [ARGS...]\n");
		return 2;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "measure: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		execvp(argv[3], argv + 3);
		fprintf(stderr, "measure: cannot run %s: %s\n", argv[3], strerror(errno));
		_exit(127);
	}
	int status;
	struct rusage ru;
	pid_t w;
	while ((w = wait4(pid, &status, 0, &ru)) < 0 && errno == EINTR)
		;
	if (w < 0) {
		fprintf(stderr, "measure: wait: %s\n", strerror(errno));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	FILE *f = fopen(argv[1], "a");
	if (!f || fprintf(f, "%s %.3f %ld %d\n", argv[2], secs, ru.ru_maxrss, code) < 0 ||
	    fclose(f) != 0) {
		fprintf(stderr, "measure: cannot write %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	return code;
}
