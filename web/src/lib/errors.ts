// A server error in the reader's language: the answer's key and params
// (listed with their params as x-error-keys in /api/v1/openapi.json)
// through t().  The server's English message is never shown: a key without
// words here falls back to its code's generic sentence.
import { ApiError, type ErrorParams } from './api';
import { bps, count, yuan } from './format';
import { addMessages, hasMessage, t, tOr } from './i18n';

// Both languages carry the same keys (web/e2e/error-keys.test.mjs checks
// them against the running server's list).  {field} is the field at fault.
export const errorMessagesZh: Record<string, string> = {
  'ek.invalid': '字段 {field} 的值无效',
  'ek.invalid.nofield': '请求无效',
  'ek.limit_exceeded': '字段 {field} 超出了限制',
  'ek.limit_exceeded.nofield': '超出了限制',
  'ek.not_found': '未找到 {field}',
  'ek.not_found.nofield': '未找到',
  'ek.conflict': '与当前状态冲突（{field}），请刷新后再试',
  'ek.conflict.nofield': '与当前状态冲突，请刷新后再试',
  'ek.insufficient_funds': '可提现余额不足',
  'ek.member_in_debt': '会员退款追回后欠款：补足前不能批准或打款',
  'ek.unauthorized': '登录已失效，请重新登录',
  'ek.invalid_credentials': '会员编号或密码错误',
  'ek.forbidden': '无权查看或操作',
  'ek.forbidden_role': '当前角色无权执行此操作',
  'ek.rate_limited': '操作太频繁，请 {retry_s} 秒后再试',
  'ek.rate_limited.noretry': '操作太频繁，请稍后再试',
  'ek.method_not_allowed': '不支持此操作',
  'ek.payload_too_large': '提交的内容过大',
  'ek.uri_too_long': '请求地址过长',
  'ek.idempotency_key_reused': '请求冲突，请刷新后重试',
  'ek.idempotency_key_in_doubt': '不确定上次提交是否成功，请先查看记录',
  'ek.union_refused': '联盟拒绝了转链',
  'ek.union_unavailable': '联盟暂时无法连接，请稍后再试',
  'ek.link_quota_exceeded': '生成链接的次数已达上限，请稍后再试',
  'ek.not_configured': '服务器尚未配置此功能',
  'ek.internal': '服务器内部错误，请稍后再试',
  'ek.unavailable': '服务器繁忙，请稍后再试',
  'ek.busy': '数据库正忙，未做任何更改，请稍后重试',
  'ek.field.required': '请填写 {field}',
  'ek.field.too_long': '{field} 太长：最多 {max} 字节',
  'ek.field.range': '{field} 须在 {min} 到 {max} 之间，当前为 {value}',
  'ek.field.unknown': '不认识的字段 {field}',
  'ek.field.not_string': '{field} 须为文本',
  'ek.field.not_integer': '{field} 须为整数（金额以分计）',
  'ek.field.not_object': '{field} 须为对象',
  'ek.field.not_array': '{field} 须为数组',
  'ek.field.not_boolean': '{field} 须为 true 或 false',
  'ek.field.control_chars': '{field} 不能包含控制字符',
  'ek.auth.bad_credentials': '会员编号或密码错误',
  'ek.auth.password_length': '密码长度须为 {min} 到 {max} 个字节',
  'ek.invite.required': '请填写邀请码或邀请链接',
  'ek.invite.malformed': '这不是邀请码（8 位字母和数字）或带邀请码的链接',
  'ek.invite.unknown': '邀请码 {code} 不存在',
  'ek.member.id_taken': '会员编号 {id} 已被使用',
  'ek.member.id_chars': '会员编号不能包含空格或控制字符',
  'ek.member.unknown_level': '当前方案没有等级 {level}',
  'ek.member.unknown_parent': '上级会员 {parent} 不存在',
  'ek.member.own_parent': '会员不能是自己的上级',
  'ek.withdraw.amount_positive': '提现金额须大于零',
  'ek.withdraw.below_minimum': '金额：{amount_fen} 低于最低提现额 {minimum_fen}',
  'ek.withdraw.over_available': '可提现余额不足：{amount_fen} 超过可提现余额 {available_fen}',
  'ek.withdraw.in_debt': '会员 {member} 退款追回后欠款 {owes_fen}：补足前不能批准或打款（驳回会退回其金额）',
  'ek.withdraw.method': '收款方式须为支付宝、微信或银行卡',
  'ek.withdraw.payee_invalid': '收款人姓名包含无效字符',
  'ek.range.bad_date': '日期须为 年-月-日（YYYY-MM-DD），当前为 {value}',
  'ek.range.from_after_to': '开始日期不能晚于结束日期',
  'ek.range.too_long': '日期范围最多 {max_days} 天',
  'ek.link.not_https': '链接须为 https（{host}）',
  'ek.link.host_not_allowed': '不允许链接到 {host}：只能指向联盟自己的域名或运营添加的域名',
  'ek.link.quota_hour': '每小时最多生成 {limit} 个链接，请 {retry_s} 秒后再试',
  'ek.link.quota_day': '每天最多生成 {limit} 个链接，请 {retry_s} 秒后再试',
  'ek.statement.month_invalid': '月份须为 YYYYMM（2000 到 2099 年）',
  'ek.statement.format_invalid': '导出格式须为 CSV 或 XLSX',
  'ek.statement.lang_invalid': '导出语言须为中文或英文',
  'ek.statement.text_length': '发票号或原因须为 1 到 {max} 个字节',
  'ek.statement.illegal_move': '对账单当前的状态不允许这个操作，请刷新后再试',
  'ek.statement.export_too_large': '对账单有 {orders} 笔订单，一次最多导出 {max} 笔',
  'ek.group.unknown': '没有这个群',
  'ek.group.not_own': '群 {group} 属于其他会员',
  'ek.group.archived': '群已归档，不能再使用',
  'ek.group.name_length': '群名称须为 1 到 {max} 个字节',
  'ek.group.too_many': '群数量已达上限（{max} 个）',
  'ek.channel.unknown': '没有这个渠道',
  'ek.channel.kind': '渠道类型须为团队、达人、导购应用、微信、微博、知乎、导购站或其他（当前为 {value}）',
  'ek.channel.state': '渠道状态须为合作中、暂停或拉黑（当前为 {value}）',
  'ek.channel.categories_too_many': '类目最多 {max} 个',
  'ek.channel.category_comma': '类目名称不能含逗号：{value}',
  'ek.channel.id_kind': '{union} 没有这种渠道 ID 类型：{kind}',
  'ek.channel.id_taken': '该联盟 ID 已属于渠道 {channel}（{name}）',
  'ek.channel.id_unknown': '该渠道没有这个联盟 ID',
  'ek.campaign_item.unknown': '没有这个活动商品',
  'ek.tag.none_of_union': '会员 {member} 还没有{union}的推广位，请先登记',
  'ek.product.no_url': '该商品在商品库中没有可用的链接',
  'ek.plan.bad_json': '方案不是有效的 JSON（第 {line} 行）',
  'ek.plan.mode': '模式须为 differential（级差）或 fixed（固定）',
  'ek.plan.bps_range': '{field} 须为 0% 到 100% 之间的比例，当前为 {value_bps}',
  'ek.plan.money_range': '{field} 须在 ¥0.00 到 {max_fen} 之间，当前为 {value_fen}',
  'ek.plan.max_tiers': '分佣层数须为 1 到 3，当前为 {value}',
  'ek.plan.tiers_bps_count': '{field} 最多 2 项（第 2、3 层），当前 {count} 项',
  'ek.plan.tiers_bps_fixed': '固定模式 {max_tiers} 层需要 {need} 项 tiers_bps，当前 {count} 项',
  'ek.plan.hold_days': '冻结天数须为 0 到 {max}，当前为 {value}',
  'ek.plan.levels_count': '方案须有 1 到 {max} 个等级，当前 {count} 个',
  'ek.plan.level_key': '{field}：等级标识须为 1 到 31 个 a-z 0-9 _ - 字符，当前为 {value}',
  'ek.plan.duplicate_level': '{field}：等级标识 {level} 重复',
  'ek.plan.default_level': '默认等级须为方案中的一个等级',
  'ek.plan.unknown_level': '{field}：{level} 不是方案中的等级',
  'ek.plan.level_ref': '{field} 须为方案中的一个等级',
  'ek.plan.name_locale': '{field}：等级名称只能用 zh-CN 或 en 两种语言，不能用 {locale}',
  'ek.plan.name_length': '{field}：等级名称须为 1 到 {max} 个字节',
  'ek.plan.over_budget': '方案最多可能支付佣金的 {pay_bps}，超过了 100% 减平台最低留存后的 {max_bps}',
  'ek.plan.downgrade': '降级方式须为 never（不降级）或 monthly（按月复核）',
  'ek.plan.review_granted': 'review_granted 只用于按月复核：请设 downgrade 为 monthly 或去掉它',
  'ek.plan.match': '{field} 须为 all（全部满足）或 any（满足其一）',
  'ek.plan.too_many_conditions': '{field}：升级条件最多 {max} 个',
  'ek.plan.condition_kind': '{field}：不认识的升级条件类型',
  'ek.plan.condition_min': '{field}：门槛须在 0 到 {max} 之间，当前为 {value}',
  'ek.plan.condition_min_money': '{field}：门槛须在 ¥0.00 到 {max_fen} 之间，当前为 {value_fen}',
  'ek.plan.condition_days': '{field}：天数须在 1 到 {max} 之间，当前为 {value}',
  'ek.plan.condition_no_min': '{field}：礼包条件不设门槛',
  'ek.plan.condition_no_days': '{field}：只有金额类条件才看天数',
  'ek.plan.condition_no_level': '{field}：只有 direct_at_level 条件才指定等级',
  'ek.plan.too_many_windows': '{field}：升级规则中不同的天数窗口最多 {max} 个',
  'ek.plan.too_many_gift_packs': '礼包最多 {max} 个',
  'ek.plan.duplicate_gift_pack': '{field}：礼包 {product} 重复',
  'ek.plan.cost_over_price': '{field}：礼包成本须在 ¥0.00 到售价 {price_fen} 之间，当前为 {value_fen}',
  'ek.plan.tiers_beyond_3': '{field} 有 {count} 项：第 3 层以后不再分佣',
  'ek.plan.tiers_over_max': '{field} 有 {count} 项，但方案只分 {max_tiers} 层',
  'ek.plan.over_margin': '{field} 合计支付毛利的 {sum_bps}，超过了毛利本身',
  'ek.unknown': '出错了（{code}）',
};

export const errorMessagesEn: Record<string, string> = {
  'ek.invalid': 'The value of {field} is not valid',
  'ek.invalid.nofield': 'The request is not valid',
  'ek.limit_exceeded': '{field} is over its limit',
  'ek.limit_exceeded.nofield': 'Over a limit',
  'ek.not_found': '{field} not found',
  'ek.not_found.nofield': 'Not found',
  'ek.conflict': 'This conflicts with the current state ({field}); refresh and try again',
  'ek.conflict.nofield': 'This conflicts with the current state; refresh and try again',
  'ek.insufficient_funds': 'Not enough available balance',
  'ek.member_in_debt': "The member owes money after a clawback: this can't be approved or paid until that is covered",
  'ek.unauthorized': 'Your session has ended; please log in again',
  'ek.invalid_credentials': 'Wrong member ID or password',
  'ek.forbidden': 'You may not see or do this',
  'ek.forbidden_role': 'Your role may not do this',
  'ek.rate_limited': 'Too many requests; try again in {retry_s} s',
  'ek.rate_limited.noretry': 'Too many requests; try again shortly',
  'ek.method_not_allowed': 'This action is not supported',
  'ek.payload_too_large': 'What was sent is too large',
  'ek.uri_too_long': 'The request address is too long',
  'ek.idempotency_key_reused': 'Conflicting request; reload and retry',
  'ek.idempotency_key_in_doubt': 'Not sure the last request went through; check the list first',
  'ek.union_refused': 'The union refused the link',
  'ek.union_unavailable': 'The union could not be reached; try again shortly',
  'ek.link_quota_exceeded': 'The link quota is used up; try again later',
  'ek.not_configured': 'The server is not set up for this',
  'ek.internal': 'Internal server error; try again later',
  'ek.unavailable': 'The server is busy; try again shortly',
  'ek.busy': 'The database is busy; nothing was changed, retry shortly',
  'ek.field.required': '{field} is required',
  'ek.field.too_long': '{field} is too long: at most {max} bytes',
  'ek.field.range': '{field} must be {min} to {max}, got {value}',
  'ek.field.unknown': 'Unknown field {field}',
  'ek.field.not_string': '{field} must be text',
  'ek.field.not_integer': '{field} must be a whole number (money in fen)',
  'ek.field.not_object': '{field} must be an object',
  'ek.field.not_array': '{field} must be an array',
  'ek.field.not_boolean': '{field} must be true or false',
  'ek.field.control_chars': '{field} must not contain control characters',
  'ek.auth.bad_credentials': 'Wrong member ID or password',
  'ek.auth.password_length': 'A password is {min} to {max} bytes long',
  'ek.invite.required': 'Enter an invite code or link',
  'ek.invite.malformed': 'This is not an invite code (8 letters and digits) or a link carrying one',
  'ek.invite.unknown': 'Invite code {code} does not exist',
  'ek.member.id_taken': 'Member ID {id} is taken',
  'ek.member.id_chars': 'A member ID holds no spaces or control characters',
  'ek.member.unknown_level': 'The active plan has no level {level}',
  'ek.member.unknown_parent': 'There is no member {parent} to be the parent',
  'ek.member.own_parent': 'A member cannot be its own parent',
  'ek.withdraw.amount_positive': 'The amount must be more than zero',
  'ek.withdraw.below_minimum': 'Amount: {amount_fen} is below the minimum withdrawal of {minimum_fen}',
  'ek.withdraw.over_available': 'Not enough available balance: {amount_fen} is more than {available_fen}',
  'ek.withdraw.in_debt': "Member {member} owes {owes_fen} after a clawback: this can't be approved or paid until that is covered (rejecting returns its money)",
  'ek.withdraw.method': 'The method must be Alipay, WeChat or bank',
  'ek.withdraw.payee_invalid': "The payee's name holds characters that are not allowed",
  'ek.range.bad_date': 'A date is YYYY-MM-DD, got {value}',
  'ek.range.from_after_to': 'The start date must not be after the end date',
  'ek.range.too_long': 'A date range is at most {max_days} days',
  'ek.link.not_https': 'A link must be https ({host})',
  'ek.link.host_not_allowed': "Links may not lead to {host}: only to the unions' own domains and those the operators add",
  'ek.link.quota_hour': 'At most {limit} links an hour; try again in {retry_s} s',
  'ek.link.quota_day': 'At most {limit} links a day; try again in {retry_s} s',
  'ek.statement.month_invalid': 'A month is YYYYMM (years 2000 to 2099)',
  'ek.statement.format_invalid': 'An export is CSV or XLSX',
  'ek.statement.lang_invalid': "An export's language is Chinese or English",
  'ek.statement.text_length': '{field} is 1 to {max} bytes',
  'ek.statement.illegal_move': 'The statement cannot make this move in its state; reload and try again',
  'ek.statement.export_too_large': 'The statement has {orders} orders; one export holds at most {max}',
  'ek.group.unknown': 'No such group',
  'ek.group.not_own': "Group {group} is another member's",
  'ek.group.archived': 'The group is archived and can no longer be used',
  'ek.group.name_length': "A group's name is 1 to {max} bytes",
  'ek.group.too_many': 'The most groups allowed ({max}) are already made',
  'ek.channel.unknown': 'No such channel',
  'ek.channel.kind': 'A channel is a team, talent, app, WeChat, Weibo, Zhihu, guide or other (got {value})',
  'ek.channel.state': 'A channel is active, paused or blocked (got {value})',
  'ek.channel.categories_too_many': 'At most {max} categories',
  'ek.channel.category_comma': 'A category holds no comma: {value}',
  'ek.channel.id_kind': '{union} has no channel id kind {kind}',
  'ek.channel.id_taken': 'The union id is channel {channel}’s ({name})',
  'ek.channel.id_unknown': 'The channel holds no such union id',
  'ek.campaign_item.unknown': 'No such campaign product',
  'ek.tag.none_of_union': 'Member {member} has no {union} tag yet; register one first',
  'ek.product.no_url': 'The product has no usable link in the library',
  'ek.plan.bad_json': 'The plan is not valid JSON (line {line})',
  'ek.plan.mode': 'The mode must be differential or fixed',
  'ek.plan.bps_range': '{field} must be a rate of 0% to 100%, got {value_bps}',
  'ek.plan.money_range': '{field} must be ¥0.00 to {max_fen}, got {value_fen}',
  'ek.plan.max_tiers': 'Tiers must be 1 to 3, got {value}',
  'ek.plan.tiers_bps_count': '{field} has at most 2 entries (tiers 2 and 3), got {count}',
  'ek.plan.tiers_bps_fixed': 'Fixed mode with {max_tiers} tiers needs {need} tiers_bps entries, got {count}',
  'ek.plan.hold_days': 'Hold days must be 0 to {max}, got {value}',
  'ek.plan.levels_count': 'A plan has 1 to {max} levels, got {count}',
  'ek.plan.level_key': '{field}: a level key is 1 to 31 of a-z 0-9 _ -, got {value}',
  'ek.plan.duplicate_level': '{field}: level key {level} appears twice',
  'ek.plan.default_level': 'The default level must be one of the levels',
  'ek.plan.unknown_level': "{field}: {level} is not one of the plan's levels",
  'ek.plan.level_ref': '{field} must name one of the levels',
  'ek.plan.name_locale': '{field}: level names are given in zh-CN or en only, not {locale}',
  'ek.plan.name_length': "{field}: a level's name is 1 to {max} bytes",
  'ek.plan.over_budget': 'The plan could pay {pay_bps} of a commission, more than the {max_bps} left after the platform minimum',
  'ek.plan.downgrade': 'Downgrade must be never or monthly',
  'ek.plan.review_granted': 'review_granted applies only to the monthly review: set downgrade to monthly or leave it out',
  'ek.plan.match': '{field} must be all or any',
  'ek.plan.too_many_conditions': '{field}: at most {max} upgrade conditions',
  'ek.plan.condition_kind': '{field}: unknown kind of upgrade condition',
  'ek.plan.condition_min': '{field}: the threshold must be 0 to {max}, got {value}',
  'ek.plan.condition_min_money': '{field}: the threshold must be ¥0.00 to {max_fen}, got {value_fen}',
  'ek.plan.condition_days': '{field}: days must be 1 to {max}, got {value}',
  'ek.plan.condition_no_min': '{field}: a gift pack condition takes no threshold',
  'ek.plan.condition_no_days': '{field}: only the money conditions look at days',
  'ek.plan.condition_no_level': '{field}: only direct_at_level names a level',
  'ek.plan.too_many_windows': '{field}: at most {max} different day windows in the upgrade rules',
  'ek.plan.too_many_gift_packs': 'At most {max} gift packs',
  'ek.plan.duplicate_gift_pack': '{field}: gift pack {product} appears twice',
  'ek.plan.cost_over_price': "{field}: a pack's cost is ¥0.00 to its price {price_fen}, got {value_fen}",
  'ek.plan.tiers_beyond_3': '{field} has {count} entries: nothing is paid beyond tier 3',
  'ek.plan.tiers_over_max': '{field} has {count} entries but the plan pays {max_tiers} tiers',
  'ek.plan.over_margin': '{field} pays {sum_bps} of the margin in total, more than the margin',
  'ek.unknown': 'Something went wrong ({code})',
};

addMessages(errorMessagesZh, errorMessagesEn);

// A param as the reader reads it: money (…_fen) as yuan, rates (…_bps) as
// percent, other numbers with separators; a field by its word when the page
// has one (field.amount -> 金额).
function shown(name: string, v: string | number): string {
  if (typeof v === 'number') {
    if (name.endsWith('_fen')) return yuan(v);
    if (name.endsWith('_bps')) return bps(v);
    if (name === 'value' || name === 'min' || name === 'max' || name === 'line') return String(v);
    return count(v);
  }
  if (name === 'union') {
    return tOr(`union.${v}`, v);
  }
  if (name === 'field') {
    return tOr(`field.${v}`, v);
  }
  return v;
}

// The sentence for an API error: its key with its params, else its code's
// generic sentence, never the server's English message.
export function apiErrorText(e: ApiError): string {
  const params: ErrorParams = { ...e.params };
  if (e.field && params.field === undefined) params.field = e.field;
  const vars: Record<string, string> = { code: e.code };
  for (const [k, v] of Object.entries(params)) vars[k] = shown(k, v);
  const candidates: string[] = [];
  if (e.key) candidates.push(`ek.${e.key}`);
  candidates.push(`ek.${e.code}`);
  for (const c of candidates) {
    if (!hasMessage(c)) continue;
    // a sentence naming a param the answer lacks has a shorter twin
    const missing = (t(c).match(/\{(\w+)\}/g) ?? []).some((m) => vars[m.slice(1, -1)] === undefined);
    if (!missing) return t(c, vars);
    const nofield = `${c}.nofield`;
    if (hasMessage(nofield) && vars.field === undefined) return t(nofield, vars);
    const noretry = `${c}.noretry`;
    if (hasMessage(noretry)) return t(noretry, vars);
  }
  if (e.status === 0) return t('error.network');
  return tOr('ek.unknown', e.code, vars);
}
