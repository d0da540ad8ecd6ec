/* bots.c — a case-insensitive search for the words robots, link-preview
 * fetchers and HTTP libraries put in their User-Agent. */
#include "tracking/bots.h"

#include <stddef.h>
#include <string.h>

/* Lower-case fragments; one of them anywhere in the User-Agent marks a
 * robot (unless it follows `not_after`, a word that contains it in a real
 * browser's User-Agent).  Each chat app's entry is the fragment its
 * preview fetcher was seen to send; an app's in-app browser must never
 * match (WeChat's, QQ's, DingTalk's and Feishu's carry "MicroMessenger",
 * "QQ/", "DingTalk/" and "Lark/" and are people: those words are not
 * here).  docs/security.md lists each entry's source. */
static const struct {
	const char *word;
	const char *not_after;
} bot_words[] = {
	/* crawlers and previewers that say so: Googlebot, bingbot, Twitterbot,
	 * "TelegramBot (like TwitterBot)", "Slackbot-LinkExpanding 1.0",
	 * "Discordbot/2.0", "DingTalkBot-LinkService/1.0"; not a Cubot phone
	 * ("Android 10; CUBOT X30") */
	{"bot", "cu"},
	{"spider", NULL},          /* Baiduspider, Sogou web spider, "Weibo spider" */
	{"crawl", NULL},
	{"slurp", NULL},
	/* Facebook's, and Apple Messages' (which adds "facebookexternalhit/1.1
	 * Facebot Twitterbot/1.0" to a Safari User-Agent) */
	{"facebookexternalhit", NULL},
	{"embedly", NULL},
	{"preview", NULL},         /* "SkypeUriPreview Preview/0.5" */
	{"whatsapp/", NULL},       /* "WhatsApp/2.23.18.78 i": WhatsApp opens links in the
				    * phone's browser, never its own */
	{"qq-url-manager", NULL},  /* QQ's link checker: "... MQQBrowser/5.0 QQ-URL-Manager ..." */
	{"headlesschrome", NULL},
	{"lighthouse", NULL},
	{"pingdom", NULL},
	{"uptime", NULL},
	{"monitor", NULL},
	{"mediapartners", NULL},
	{"ia_archiver", NULL},
	{"feedfetcher", NULL},
	/* command-line clients and HTTP libraries: nobody reads a shop's page
	 * through them */
	{"curl/", NULL},
	{"libcurl", NULL},
	{"wget", NULL},
	{"httpie", NULL},
	{"python-requests", NULL},
	{"python-urllib", NULL},
	{"python-httpx", NULL},
	{"aiohttp", NULL},
	{"scrapy", NULL},
	{"go-http-client", NULL},
	{"httpclient", NULL},      /* Apache-HttpClient, .NET's */
	{"okhttp", NULL},
	{"java/", NULL},
	{"node-fetch", NULL},
	{"axios/", NULL},
	{"undici", NULL},
	{"postmanruntime", NULL},
	{"guzzlehttp", NULL},
	{"libwww", NULL},
};

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool at(const char *hay, size_t n, size_t i, const char *word, size_t w)
{
	if (i + w > n)
		return false;
	for (size_t k = 0; k < w; k++)
		if (lower(hay[i + k]) != word[k])
			return false;
	return true;
}

/* Whether word occurs in hay other than right after not_after. */
static bool contains(const char *hay, size_t n, const char *word, const char *not_after)
{
	size_t w = strlen(word), na = not_after ? strlen(not_after) : 0;
	for (size_t i = 0; i + w <= n; i++)
		if (at(hay, n, i, word, w) && !(na && i >= na && at(hay, n, i - na, not_after, na)))
			return true;
	return false;
}

bool bots_match(const char *user_agent)
{
	if (!user_agent)
		return false;
	size_t n = strlen(user_agent);
	for (size_t i = 0; i < sizeof(bot_words) / sizeof(bot_words[0]); i++)
		if (contains(user_agent, n, bot_words[i].word, bot_words[i].not_after))
			return true;
	return false;
}
