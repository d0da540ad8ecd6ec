/* names.c — the vocabulary of the demo data: nicknames as members pick them
 * in chat apps, and product titles as the unions' listings write them. */
#include "demo/names.h"

#include <string.h>

#define COUNT(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
	"马", "朱", "胡", "郭", "何", "林", "高", "罗", "郑", "梁", "谢", "宋",
};
static const char *const kin[] = {
	"姐", "哥", "老师", "妈妈", "宝妈", "店长", "阿姨", "叔", "总", "小妹",
};
static const char *const small[] = {
	"雨", "美", "鱼", "鹿", "糖", "乐", "熊", "米", "橙", "桃", "猫", "云",
	"月", "星", "暖", "晴", "安", "柒", "野", "舟", "白", "蕾", "薇", "宇",
};
static const char *const twins[] = {
	"甜甜", "圆圆", "朵朵", "乐乐", "豆豆", "果果", "妞妞", "贝贝", "笑笑",
	"糖糖", "萌萌", "丫丫", "多多", "欢欢", "悠悠", "洋洋",
};
static const char *const twin_tails[] = {"", "", "", "妈", "呀", "酱", "爸", "家"};
static const char *const adjectives[] = {
	"快乐的", "爱笑的", "安静的", "精打细算的", "会省钱的", "慢慢来的",
	"努力的", "温柔的", "勇敢的", "元气", "佛系", "暴躁", "小小", "超级",
};
static const char *const nouns[] = {
	"小熊", "猫咪", "橙子", "兔兔", "宝妈", "小仙女", "达人", "吃货", "柠檬",
	"西瓜", "向日葵", "小太阳", "鲸鱼", "企鹅", "奶茶", "布丁", "团长",
};
static const char *const handles[] = {
	"省钱小能手", "优惠券搬运工", "好物分享官", "每日好价", "羊毛党",
	"购物达人", "剁手俱乐部", "宝藏好物", "精选团购", "居家好物",
};
static const char *const numbers[] = {"88", "520", "666", "1998", "2024", "168", "99", "007"};

static const char *const title_tags[] = {
	"", "", "", "【官方旗舰】", "【百亿补贴】", "【拍2件更划算】",
	"【品牌直发】", "【限时秒杀】", "【券后价】", "【新人专享】",
	"【顺丰包邮】", "【厂家直销】",
};
static const char *const title_adjs[] = {
	"", "", "", "2026新款 ", "加厚 ", "家庭装 ", "大容量 ", "升级款 ", "网红 ",
	"国潮 ", "整箱 ", "爆款 ",
};
static const char *const products[] = {
	"原木抽纸 3层120抽*24包",     "浓缩洗衣液 2kg*2瓶",
	"含氟牙膏 120g*4支",          "真无线蓝牙耳机 降噪长续航",
	"316不锈钢保温杯 500ml",      "纯牛奶 250ml*24盒",
	"每日坚果 30包礼盒",          "男款透气跑步鞋",
	"纯棉短袖T恤 男女同款",       "补水保湿面膜 30片",
	"厨房湿巾 80抽*5包",          "东北长粒香大米 10kg",
	"智能手环 心率血氧监测",      "儿童绘本 全套10册",
	"车载手机支架 出风口款",      "冻干猫粮 2kg",
	"声波电动牙刷 软毛",          "空气炸锅 5L",
	"全棉四件套 1.8m床",          "速干运动短裤",
	"清爽防晒霜 SPF50+",          "洗碗块 60颗",
	"零食大礼包 30袋",            "磨砂防摔手机壳",
	"三合一快充数据线",           "加厚收纳箱 大号3个装",
	"加厚垃圾袋 100只",           "酸辣粉 6桶装",
	"螺蛳粉 5包",                 "冻干速溶咖啡 24颗",
	"洗面奶 氨基酸温和",          "卷纸 4层27卷",
	"婴儿纸尿裤 L码 64片",        "宠物冻干零食 鸡肉粒",
	"运动瑜伽垫 加宽加厚",        "LED护眼台灯 学生宿舍",
	"不粘锅炒锅 30cm",            "电热水壶 1.7L",
	"羽绒服 轻薄短款",            "保暖内衣套装 加绒",
	"洗发水 去屑控油 750ml",      "沐浴露 香氛持久 1L",
	"手机充电宝 20000毫安",       "无线鼠标 静音",
	"机械键盘 青轴",              "挂耳咖啡 50包",
	"红枣枸杞茶 独立包装",        "高筋面粉 5kg",
	"鲜榨橄榄油 1L*2瓶",          "儿童保温水杯 吸管款",
};

struct text {
	char *buf;
	size_t len, size;
};

/* Appends s when it fits (leaving room for the NUL); drops it otherwise. */
static void put(struct text *t, const char *s)
{
	size_t n = strlen(s);
	if (t->len + n + 1 > t->size)
		return;
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

static const char *pick(struct prng *r, const char *const *list, uint32_t n)
{
	return list[prng_below(r, n)];
}

size_t demo_nickname(struct prng *r, char buf[DEMO_NAME_MAX])
{
	struct text t = {buf, 0, DEMO_NAME_MAX};
	buf[0] = '\0';
	switch (prng_below(r, 6)) {
	case 0:
		put(&t, "小");
		put(&t, pick(r, small, COUNT(small)));
		break;
	case 1:
		put(&t, pick(r, surnames, COUNT(surnames)));
		put(&t, pick(r, kin, COUNT(kin)));
		break;
	case 2:
		put(&t, pick(r, twins, COUNT(twins)));
		put(&t, pick(r, twin_tails, COUNT(twin_tails)));
		break;
	case 3:
		put(&t, pick(r, adjectives, COUNT(adjectives)));
		put(&t, pick(r, nouns, COUNT(nouns)));
		break;
	case 4:
		put(&t, pick(r, handles, COUNT(handles)));
		break;
	default:
		put(&t, "阿");
		put(&t, pick(r, small, COUNT(small)));
		put(&t, pick(r, small, COUNT(small)));
		break;
	}
	if (prng_chance(r, 250))
		put(&t, pick(r, numbers, COUNT(numbers)));
	return t.len;
}

size_t demo_title(struct prng *r, char buf[DEMO_TITLE_MAX])
{
	struct text t = {buf, 0, DEMO_TITLE_MAX};
	buf[0] = '\0';
	put(&t, pick(r, title_tags, COUNT(title_tags)));
	put(&t, pick(r, title_adjs, COUNT(title_adjs)));
	put(&t, pick(r, products, COUNT(products)));
	return t.len;
}
