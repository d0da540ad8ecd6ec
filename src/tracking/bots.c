/* bots.c — a case-insensitive search for the words robots put in their
 * User-Agent. */
#include "tracking/bots.h"

#include <stddef.h>
#include <string.h>

/* Lower-case fragments; one of them anywhere in the User-Agent marks a
 * robot.  "bot" covers Googlebot, bingbot, Baiduspider's kin, Twitterbot,
 * TelegramBot, Slackbot, Discordbot, YandexBot, AhrefsBot and the like. */
static const char *const bot_words[] = {
	"bot",         "spider",       "crawl",          "slurp",
	"facebookexternalhit", "embedly", "preview",     "headlesschrome",
	"lighthouse",  "pingdom",      "uptime",         "monitor",
	"mediapartners", "ia_archiver", "python-requests", "scrapy",
	"go-http-client", "httpclient", "libwww",        "feedfetcher",
};

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool contains(const char *hay, size_t n, const char *word)
{
	size_t w = strlen(word);
	for (size_t i = 0; i + w <= n; i++) {
		size_t k = 0;
		while (k < w && lower(hay[i + k]) == word[k])
			k++;
		if (k == w)
			return true;
	}
	return false;
}

bool bots_match(const char *user_agent)
{
	if (!user_agent)
		return false;
	size_t n = strlen(user_agent);
	for (size_t i = 0; i < sizeof(bot_words) / sizeof(bot_words[0]); i++)
		if (contains(user_agent, n, bot_words[i]))
			return true;
	return false;
}
