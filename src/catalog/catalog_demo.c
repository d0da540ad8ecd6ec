/* catalog_demo.c — a realistic demo catalogue: Chinese titles mixing
 * brands, model numbers and sizes across the categories a Taoke team
 * sells in, with coupons, commissions, 30-day sales and daily price
 * history (promotions and coupon runs).  Deterministic for a seed. */
#include "catalog/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A product line: brands ('|'-separated), the kind of product, specs
 * ('|'-separated) and the list price range in fen. */
struct line {
	const char *brands, *kind, *specs;
	int64_t lo, hi;
};

struct category {
	const char *name;
	int weight;                 /* share of the catalogue */
	int32_t bps_lo, bps_hi;     /* commission rate range */
	int64_t sales_max;          /* 30-day sales of a best seller */
	const struct line *lines;
	int n_lines;
};

static const struct line daily[] = {
	{"蓝月亮|立白|奥妙|超能|威露士", "洗衣液", "3kg|2kg+1kg|4.5kg|1kg*4瓶|500g*2袋", 1990, 8990},
	{"维达|清风|心相印|洁柔|得宝", "抽纸", "3层120抽*24包|4层100抽*18包|3层130抽*30包|家用实惠装",
	 1990, 6990},
	{"维达|清风|心相印|洁柔", "卷纸", "4层140g*27卷|3层200g*12卷|无芯卷纸*30卷", 2490, 7990},
	{"立白|白猫|雕牌|蓝月亮", "洗洁精", "1.5kg*2瓶|1kg|2kg家庭装", 990, 3990},
	{"妙洁|美丽雅|茶花", "垃圾袋", "加厚50只*5卷|手提式100只|点断式", 990, 2990},
	{"舒肤佳|六神|威露士", "香皂", "115g*6块|100g*3块", 1290, 3990},
	{"茶花|天堂|美丽雅", "晾衣架", "20只装|防滑无痕30只", 1590, 4990},
};

static const struct line beauty[] = {
	{"海飞丝|潘婷|飘柔|清扬|沙宣|多芬|施华蔻", "去屑洗发水", "400ml|750ml|500g|400ml*2瓶|1L",
	 2990, 12990},
	{"海飞丝|潘婷|飘柔|清扬|沙宣|多芬", "洗发水", "400ml|750ml|500ml*2", 2590, 9990},
	{"潘婷|沙宣|多芬|护舒宝", "护发素", "400ml|750ml", 2590, 7990},
	{"舒肤佳|六神|多芬|力士|玉兰油", "沐浴露", "720ml|1L|1.5L家庭装|400ml*3瓶", 2990, 8990},
	{"高露洁|佳洁士|云南白药|黑人|舒适达", "牙膏", "120g*3支|180g|90g*4支|美白 140g", 1590, 6990},
	{"欧莱雅|兰蔻|雅诗兰黛|自然堂|珀莱雅|百雀羚", "面霜", "50ml|30ml|50g", 9900, 99900},
	{"雅诗兰黛|兰蔻|欧莱雅|珀莱雅", "精华液", "30ml|50ml|100ml", 19900, 129900},
	{"完美日记|花西子|迪奥|圣罗兰|阿玛尼", "口红", "#999|#405|3.5g|丝绒雾面", 5900, 39900},
	{"安热沙|碧柔|曼秀雷敦|珀莱雅", "防晒霜 SPF50+", "60ml|90g|40ml*2", 4900, 19900},
	{"美迪惠尔|珀莱雅|自然堂|森田", "面膜", "10片|20片|30片装", 2990, 12990},
};

static const struct line food[] = {
	{"三只松鼠|良品铺子|百草味|沃隆|洽洽", "每日坚果", "750g/30包|25g*30袋|1kg", 3990, 15990},
	{"三只松鼠|良品铺子|百草味", "坚果礼盒", "1.5kg|2kg年货|8袋装", 6990, 25990},
	{"伊利|蒙牛|光明|特仑苏", "纯牛奶", "250ml*24盒|200ml*16盒|250ml*12盒", 3990, 8990},
	{"农夫山泉|怡宝|百岁山|娃哈哈|康师傅", "饮用天然水", "550ml*24瓶|1.5L*12瓶|380ml*24瓶|4L*4桶",
	 1990, 5990},
	{"可口可乐|百事|元气森林|东鹏特饮", "饮料", "330ml*24罐|500ml*15瓶|250ml*24瓶", 2990, 7990},
	{"康师傅|统一|今麦郎|白象", "方便面", "红烧牛肉面*24袋|老坛酸菜*12桶|5连包", 1990, 5990},
	{"德芙|费列罗|好时|士力架", "巧克力", "252g碗装|48粒礼盒|500g", 3990, 15990},
	{"奥利奥|旺旺|好丽友|达利园", "饼干", "1kg|整箱2kg|20包", 1990, 6990},
	{"雀巢|麦斯威尔|三顿半|瑞幸", "咖啡", "1.8g*100条|挂耳10包|冻干24颗", 4990, 19900},
};

static const struct line baby[] = {
	{"飞鹤|惠氏|美赞臣|爱他美|君乐宝|a2", "婴儿奶粉 3段", "800g|900g*2罐|400g|800g*6罐", 15900,
	 139900},
	{"帮宝适|花王|好奇|大王|尤妮佳", "纸尿裤", "L码 54片|M码 64片|XL码 42片|NB码 84片|S码 82片",
	 8990, 25990},
	{"帮宝适|好奇|花王|babycare", "拉拉裤", "XL码 36片|XXL码 28片|L码 46片", 8990, 22990},
	{"babycare|全棉时代|洁柔|维达", "婴儿湿巾", "80抽*10包|手口专用80抽*6包", 2990, 8990},
	{"贝亲|NUK|可优比|世喜", "奶瓶", "240ml|160ml|宽口径 330ml", 5990, 19900},
	{"巴拉巴拉|安奈儿|英氏", "儿童套装", "90cm|100cm|110cm|120cm", 7990, 29900},
};

static const struct line digital[] = {
	{"苹果", "Apple iPhone15", "128GB 黑色|256GB 蓝色|128GB 粉色", 499900, 699900},
	{"苹果", "Apple iPhone 15 Pro Max", "256GB 原色钛金属|512GB", 899900, 1199900},
	{"苹果", "AirPods Pro 2 蓝牙耳机", "USB-C|MagSafe充电盒", 149900, 199900},
	{"华为", "HUAWEI Mate60 Pro 手机", "12GB+512GB|12GB+256GB", 599900, 699900},
	{"华为", "FreeBuds Pro3 蓝牙耳机", "陶瓷白|雅川青", 99900, 149900},
	{"小米|Redmi", "Redmi Note13 Pro+ 5G手机", "8GB+256GB|12GB+512GB", 129900, 219900},
	{"小米", "小米14 Ultra 手机", "16GB+512GB|16GB+1TB", 599900, 799900},
	{"小米|Anker|绿联|罗马仕", "充电宝", "20000mAh 22.5W|10000mAh 快充|30000mAh", 5990, 19900},
	{"绿联|Anker|倍思", "数据线", "USB-C 100W 1m|Type-C 2m*2条|PD快充", 1990, 6990},
	{"美的|九阳|苏泊尔|小熊|飞利浦", "电饭煲", "4L|3L 智能预约|5L IH", 19900, 89900},
	{"美的|九阳|苏泊尔|小熊|飞利浦|格兰仕", "空气炸锅", "5L|6.5L 可视|4.5L 无油", 19900, 59900},
	{"飞利浦|欧乐B|小米|usmile", "电动牙刷", "HX6730|声波 M1|Pro 3", 9900, 69900},
	{"戴森|飞科|松下|小米", "吹风机", "HD15|1800W 负离子|H501", 9900, 299900},
	{"格力|美的|海尔|奥克斯", "空调 1.5匹", "新一级能效 变频|KFR-35GW 挂机", 199900, 459900},
};

static const struct line fashion[] = {
	{"耐克|阿迪达斯|李宁|安踏|特步|361度", "跑步鞋", "40码|41码|42码|43码|44码", 19900, 99900},
	{"耐克|阿迪达斯|回力|飞跃|万斯", "板鞋", "39码|40码|42码|43码", 9900, 69900},
	{"优衣库|森马|太平鸟|海澜之家|李宁", "纯棉T恤", "M|L|XL|XXL|3件装", 3990, 19900},
	{"波司登|鸭鸭|雪中飞|优衣库", "羽绒服", "M|L|XL|XXL", 39900, 199900},
	{"小米|新秀丽|耐克|李宁", "双肩包", "15.6英寸|大容量 30L|通勤", 9900, 49900},
	{"南极人|猫人|浪莎|恒源祥", "袜子", "10双装|5双装|中筒", 1990, 4990},
};

static const struct line car[] = {
	{"70迈|盯盯拍|小米|360", "行车记录仪", "A800S 4K|M500 128G|前后双录", 29900, 99900},
	{"壳牌|美孚|嘉实多|长城", "全合成机油 4L", "0W-20 SN|5W-30 SP|5W-40", 19900, 49900},
	{"米其林|固特异|普利司通|马牌", "轮胎", "205/55R16|225/45R17|215/60R16", 39900, 129900},
	{"3M|途虎|卡饰社", "汽车脚垫", "全包围|TPE 专车专用", 19900, 89900},
	{"倍思|绿联|公牛", "车载充电器", "PD 65W|双USB 快充", 2990, 9990},
	{"3M|途虎|龟牌", "玻璃水", "-25℃*4瓶|0℃ 2L*6瓶", 1990, 5990},
	{"卡饰社|龟牌|车仆", "洗车液", "2L|1.5L 泡沫", 1990, 4990},
};

#define LINES(a) a, (int)(sizeof(a) / sizeof(a[0]))
static const struct category categories[] = {
	{"日用百货", 20, 1000, 3500, 100000, LINES(daily)},
	{"美妆个护", 18, 1500, 5000, 60000, LINES(beauty)},
	{"食品饮料", 18, 800, 2500, 100000, LINES(food)},
	{"母婴", 12, 500, 2000, 30000, LINES(baby)},
	{"数码家电", 14, 50, 800, 20000, LINES(digital)},
	{"服饰鞋包", 12, 1000, 3500, 30000, LINES(fashion)},
	{"汽车用品", 6, 500, 2500, 3000, LINES(car)},
};
#define N_CATEGORIES (int)(sizeof(categories) / sizeof(categories[0]))

static const char *const adjectives =
	"官方正品|新款|家庭装|限时特惠|包邮|学生党|礼盒装|大容量|爆款|热销|顺丰速发|百亿补贴";

/* splitmix64: small, fast, and the same everywhere for a seed. */
static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static int64_t range(uint64_t *s, int64_t lo, int64_t hi)
{
	return hi <= lo ? lo : lo + (int64_t)(next(s) % (uint64_t)(hi - lo + 1));
}

/* The k-th of a '|'-separated list, into out. */
static void pick(const char *list, int k, char *out, size_t size)
{
	const char *s = list;
	for (int i = 0; i < k; i++) {
		const char *bar = strchr(s, '|');
		if (!bar)
			break;
		s = bar + 1;
	}
	const char *end = strchr(s, '|');
	size_t n = end ? (size_t)(end - s) : strlen(s);
	if (n >= size)
		n = size - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

static int count_of(const char *list)
{
	int n = 1;
	for (; *list; list++)
		n += *list == '|';
	return n;
}

static void pick_random(uint64_t *s, const char *list, char *out, size_t size)
{
	pick(list, (int)(next(s) % (uint64_t)count_of(list)), out, size);
}

/* Prices end in .90 (or .00 above 1000 yuan), as shops price them. */
static int64_t shop_price(int64_t fen)
{
	if (fen >= 100000)
		return fen / 10000 * 10000 + 9900;
	return fen < 100 ? 90 : fen / 100 * 100 + 90;
}

/* Product ids per union: base + index * step, the same keys the demo order
 * generator (src/demo/generate.c) gives its products, so that demo orders
 * find their products in the demo catalogue. */
static const uint64_t id_base[3] = {UINT64_C(100000000000), UINT64_C(600000000000),
				    UINT64_C(300000000)};
static const uint64_t id_step[3] = {37, 53, 41};

static void make_product(uint64_t *s, int64_t *per_union, int64_t now,
			 struct catalog_product *p, const struct category **cat_out,
			 const struct line **line_out)
{
	int total = 0, r;
	for (int c = 0; c < N_CATEGORIES; c++)
		total += categories[c].weight;
	r = (int)(next(s) % (uint64_t)total);
	const struct category *cat = &categories[0];
	for (int c = 0; c < N_CATEGORIES; c++) {
		if (r < categories[c].weight) {
			cat = &categories[c];
			break;
		}
		r -= categories[c].weight;
	}
	const struct line *l = &cat->lines[next(s) % (uint64_t)cat->n_lines];
	char spec[64], a1[32], a2[32];
	memset(p, 0, sizeof(*p));
	pick_random(s, l->brands, p->brand, sizeof(p->brand));
	pick_random(s, l->specs, spec, sizeof(spec));
	pick_random(s, adjectives, a1, sizeof(a1));
	pick_random(s, adjectives, a2, sizeof(a2));
	snprintf(p->title, sizeof(p->title), "%s%s %s %s%s%s", p->brand, l->kind, spec, a1,
		 strcmp(a1, a2) ? " " : "", strcmp(a1, a2) ? a2 : "");
	snprintf(p->category, sizeof(p->category), "%s", cat->name);

	/* union, ids and links as the unions shape them */
	int r10 = (int)(next(s) % 10), u = r10 < 4 ? 0 : r10 < 8 ? 1 : 2;
	uint64_t id = id_base[u] + (uint64_t)per_union[u]++ * id_step[u];
	if (u == 0) {
		snprintf(p->union_, sizeof(p->union_), "jd");
		snprintf(p->product, sizeof(p->product), "%llu", (unsigned long long)id);
		snprintf(p->shop, sizeof(p->shop), "%.60s%s", p->brand,
			 next(s) % 3 ? "京东自营旗舰店" : "官方旗舰店");
		snprintf(p->url, sizeof(p->url), "https://item.jd.com/%s.html", p->product);
		snprintf(p->image, sizeof(p->image), "https://img14.360buyimg.com/n1/%s.jpg",
			 p->product);
	} else if (u == 1) {
		snprintf(p->union_, sizeof(p->union_), "taobao");
		snprintf(p->product, sizeof(p->product), "%llu", (unsigned long long)id);
		snprintf(p->shop, sizeof(p->shop), "%s", next(s) % 4 ? "天猫超市" : "");
		if (!p->shop[0])
			snprintf(p->shop, sizeof(p->shop), "%.60s官方旗舰店", p->brand);
		snprintf(p->url, sizeof(p->url), "https://detail.tmall.com/item.htm?id=%s",
			 p->product);
		snprintf(p->image, sizeof(p->image), "https://img.alicdn.com/imgextra/%s.jpg",
			 p->product);
	} else {
		snprintf(p->union_, sizeof(p->union_), "pdd");
		snprintf(p->product, sizeof(p->product), "%llu", (unsigned long long)id);
		snprintf(p->shop, sizeof(p->shop), "%.60s%s", p->brand, "品牌店");
		snprintf(p->url, sizeof(p->url), "https://mobile.yangkeduo.com/goods.html?goods_id=%s",
			 p->product);
		snprintf(p->image, sizeof(p->image), "https://img.pddpic.com/goods/%s.jpeg",
			 p->product);
	}
	p->commission_bps = (int32_t)(range(s, cat->bps_lo, cat->bps_hi) / 50 * 50);
	/* heavy-tailed sales: most sell little, a few sell a lot */
	p->sales = (cat->sales_max >> (next(s) % 14)) * range(s, 50, 100) / 100;
	p->first_seen_at = now;
	*cat_out = cat;
	*line_out = l;
}

/* A coupon for a list price: none, or a round amount below 35% of the
 * price, without threshold or as "spend X, save Y". */
static void make_coupon(uint64_t *s, int64_t price, int64_t *coupon, int64_t *min)
{
	static const int64_t amounts[] = {300, 500, 1000, 1500, 2000, 3000, 5000, 10000, 20000};
	*coupon = 0;
	*min = 0;
	if (next(s) % 100 >= 55)
		return;
	int k = (int)(next(s) % (sizeof(amounts) / sizeof(amounts[0])));
	while (k > 0 && amounts[k] * 100 > price * 35)
		k--;
	if (amounts[k] * 100 > price * 35)
		return;
	*coupon = amounts[k];
	if (next(s) % 2)
		*min = price / 1000 * 1000 > *coupon ? price / 1000 * 1000 : 0;
}

enum tk_rc catalog_generate(struct store *st, int64_t count, int days, uint64_t seed,
			    int64_t now, struct catalog_generate_stats *stats,
			    struct tk_error *err)
{
	const struct catalog_store_ops *ops = st->catalog;
	enum tk_rc rc = TK_OK;
	struct catalog_product *p = malloc(2 * sizeof(*p));
	bool open = false;

	memset(stats, 0, sizeof(*stats));
	if (!p)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	struct catalog_product *existing = p + 1;
	if (count < 1 || count > CATALOG_GENERATE_MAX) {
		rc = tk_fail(err, TK_ELIMIT, "count", "must be 1..%d, got %lld",
			     CATALOG_GENERATE_MAX, (long long)count);
		goto out;
	}
	if (days < 0 || days > CATALOG_GENERATE_DAYS_MAX) {
		rc = tk_fail(err, TK_ELIMIT, "days", "must be 0..%d, got %d",
			     CATALOG_GENERATE_DAYS_MAX, days);
		goto out;
	}
	int64_t per_union[3] = {0, 0, 0};
	for (int64_t i = 0; i < count; i++) {
		uint64_t s = seed ^ (UINT64_C(0xD1B54A32D192ED03) * (uint64_t)(i + 1));
		const struct category *cat;
		const struct line *l;
		make_product(&s, per_union, now, p, &cat, &l);

		if (!open) {
			if ((rc = st->ops->tx_begin(st, err)))
				goto out;
			open = true;
		}
		rc = ops->product_get(st, p->union_, p->product, existing, err);
		if (rc == TK_OK)
			continue; /* generated before: keep it */
		if (rc != TK_ENOTFOUND)
			goto out;
		tk_error_clear(err);

		/* Daily history: the list price with short promotions, and
		 * coupon runs of 5..30 days.  A point whenever the final price
		 * changes. */
		int64_t base = shop_price(range(&s, l->lo, l->hi));
		int64_t start = now - (int64_t)days * CATALOG_DAY;
		int64_t list = base, coupon = 0, cmin = 0, promo_left = 0, run_left = 0;
		int64_t run_start = start, last_final = -1;
		struct catalog_price_point pts[CATALOG_GENERATE_DAYS_MAX + 1];
		int n = 0;
		for (int d = 0; d <= days; d++) {
			int64_t t = start + (int64_t)d * CATALOG_DAY;
			if (promo_left > 0 && --promo_left == 0)
				list = base;
			else if (promo_left == 0 && next(&s) % 100 < 4) {
				promo_left = range(&s, 1, 7);
				list = shop_price(base * range(&s, 70, 95) / 100);
			}
			if (run_left-- <= 0) {
				make_coupon(&s, base, &coupon, &cmin);
				run_left = range(&s, 5, 30);
				run_start = t;
			}
			bool applies = coupon > 0 && coupon <= list && list >= cmin;
			int64_t final = applies ? list - coupon : list;
			if (final != last_final) {
				pts[n].at = t;
				pts[n].final_price = final;
				pts[n].price = list;
				pts[n].coupon = applies ? coupon : 0;
				n++;
				last_final = final;
			}
		}
		/* today's state is the product */
		p->price = list;
		p->coupon = coupon;
		p->coupon_min = coupon ? cmin : 0;
		p->coupon_start = coupon ? run_start : 0;
		p->coupon_end = coupon ? now + (run_left + 1) * CATALOG_DAY : 0;
		if (p->coupon > p->price && p->price >= p->coupon_min)
			p->coupon = p->coupon_min = p->coupon_start = p->coupon_end = 0;
		p->first_seen_at = start;
		p->updated_at = now;
		if ((rc = catalog_product_validate(p, err))) {
			tk_error_where(err, "generated product", (long)i + 1);
			goto out;
		}
		if ((rc = ops->product_insert(st, p, err)))
			goto out;
		/* the last point must be what a buyer pays now */
		int64_t fin = catalog_final_price(p, now);
		if (n == 0 || pts[n - 1].final_price != fin) {
			pts[n].at = now;
			pts[n].final_price = fin;
			pts[n].price = p->price;
			pts[n].coupon = catalog_coupon_valid(p, now) ? p->coupon : 0;
			n++;
		}
		for (int k = 0; k < n; k++)
			if ((rc = ops->history_append(st, p->id, &pts[k], err)))
				goto out;
		stats->products++;
		stats->points += n;
		if ((i + 1) % CATALOG_IMPORT_CHUNK == 0) {
			if ((rc = st->ops->tx_commit(st, err)))
				goto out;
			open = false;
		}
	}
	if (open) {
		rc = st->ops->tx_commit(st, err);
		open = false;
	}
out:
	if (open)
		st->ops->tx_rollback(st);
	free(p);
	return rc;
}
