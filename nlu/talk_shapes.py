"""The shapes of ordinary group talk (群聊): a notice, a deal, a question put to the neighbours.

Cue words catch single phrases; a shape is recognised by several features showing at once,
whatever the words. A notice (通知) names a time, a place or its readers and tells them what
to do (请提前储水); a deal names a price beside 出/收/转/团购 or a way to get in touch; a question
to the neighbours is put to 你们/大家/有没有人 and asks for their experience, not the
community's help. Each shape adds talk weight where its features stand, so a need written
after a notice (停水通知收到了，可是楼道灯坏了) still stands on its own in its clause.
"""

from __future__ import annotations

import re

from nlu.quick import quick
from nlu.shape import Shape
from nlu.shape import compiled as _compile
from nlu.talk_people import COMPARE, EXCUSED, FAMILY, GOSSIP, OFFER, PAID, PEERS, PRAISE

_NUM = r"(?:\d{1,4}|[一二两三四五六七八九十]{1,3})"
_CLOCK = rf"(?:\d{{1,2}}[:：]\d{{2}}|{_NUM}\s*(?:点|时)(?:半|{_NUM}分?)?)"
_DAY = (rf"(?:{_NUM}\s*月(?:{_NUM}\s*[日号])?|{_NUM}\s*[日号](?!子)|[今明后]天|[今明]早|[今明]晚|"
        r"明日|明年|今年|本周|下周|这周|本月|下月|下个月|周[一二三四五六日天末]|星期[一二三四五六日天]|月底|月初|年底|即日起)")
# Who is addressed in a plea to the community: then a question or a time is part of a need.
_AGENT = r"(?:社区|物业|居委|书记|网格员|街道|领导|有关部门|相关部门|志愿者|工作人员)"
PLEA = quick(re.compile(
    rf"(?:请|求|麻烦|希望|盼|恳请|拜托|找|让|叫)(?:一下)?{_AGENT}"
    rf"|{_AGENT}(?:能不能|能否|可不可以|可否|能|可以|帮|来|派|给|出面|管|处理|协调|看看)"
    # …or for someone to come and do something: 有没有人给讲讲, 能不能有人陪一下.
    r"|(?:有人|有没有人|谁)(?:能|可以|愿意|会)?(?:给|帮|陪|教|来|修|弄|管)"
    # …or for the community to act: 你们能不能派个人来, 能不能帮帮他.
    r"|(?:能不能|能否|可不可以|可否)(?!借)"
    # …or asks how to get something done (怎么激活, 要带啥): a consultation, put to anyone.
    r"|(?:怎么|咋|如何)(?:办|整|弄|申请|激活|交|补|转|报|领|认证|开通)|要带(?:啥|什么)"
    r"|在哪(?:里|儿)?(?:办|弄|申请|交|报|领)(?!的|过)"
    # …or asks what help there is (有啥帮扶不), or cries that the household cannot go on
    # (撑不住了): a plea, whoever it is put to.
    r"|有(?:啥|什么|没有)(?:帮扶|补助|补贴|救助|照顾)|撑不(?:住|下去)|活不下去|走投无路|揭不开锅|没饭吃|没钱(?:吃饭|买|看|治|交)"
    r"|实在没(?:办法|辙)|(?:钱|积蓄)都花光|吃饭都成问题|看不起病|交不起|还不上"))

# A question about a rule, a date or an amount.
ASKS = quick(re.compile(r"[?？]|(?:吗|么|呢)[\s啊呀]*$|啥|什么时候|多少|怎么|咋|哪里|在哪"))


NOTICE = Shape("notice", _compile(
    # A header: 【通知】, 温馨提示, @所有人, a greeting of the readers, or who the news is
    # from (物业说下个月开始…).
    r"^[【\[][^】\]]{1,12}[】\]]|^(?:各位|亲爱的|尊敬的|大家好|大家注意|全体)|@所有人|@全体"
    r"|^[^，,。\s]{0,4}(?:同志们|朋友们|居民们|业主们|党员们|家长们)"
    r"|^[^，,。:：\s]{0,12}(?:通知|公告|公示|告知|提示|提醒|预警|启事)"
    r"|(?:物业|社区|居委会|老板|网格员|书记|街道|上面|学校)(?:说|讲|通知)",
    # Where the readers are to go: 地点, a hall, an office, a service counter.
    r"地点|地址|(?:在|到|于)[^，,。；;\s]{0,10}?(?:活动室|会议室|室|大厅|中心|架空层|服务站|前台|"
    r"办公室|居委会|营业厅)",
    # Telling the readers what to do: 请大家…, 请提前…, 敬请谅解, 届时, 欢迎. Who wants to
    # ask someone over (想请党员来帮忙) pleads instead.
    r"(?<![想要])请(?:大家|各位|各|居民|业主|家长|党员|车主|有意|有需要|符合|相关|相互|互相)"
    r"|(?<![想要])请[^，,。\s]{1,10}的(?:家长|居民|业主|老人|党员|朋友|同志|车主)"
    r"|不在|禁止|严禁|切勿|有(?:意见|疑问|问题)的?(?:请)?(?:向|联系|找)"
    r"|请(?:提前|准时|按时|带|携带|关好|关闭|自觉|配合|知悉|留意|注意|于|前往|绕行|勿|拒绝|"
    r"不要|别|做好|看好|及时|尽快到|到)"
    r"|敬请|届时|欢迎|名额|截止|逾期|相互转告|互相转告|不便之处|如有(?:疑问|问题)|有(?:疑问|问题)(?:请)?联系",
    # When: a clock time, a date or a day ahead.
    rf"{_CLOCK}|{_DAY}",
    # Something the organisers do: 开展, 举行, 停水, 检修, 入户.
    r"开展|举行|举办|召开|组织|开放|发放|启动|招募|开班|开始(?:了|办理|报名|接种|缴费)?"
    r"|施工|检修|维保|清洗|停水|停电|停气|暂停|入户|上门(?:核对|检查|安检)|集合|接种|办理",
), least=2, core=3, weight=1.2, not_with_plea=True, tells=True)

DEAL = Shape("trade", _compile(
    # A price: 30元, 25块一袋, 八折, 半价, 月租1800.
    r"\d+(?:\.\d+)?\s*(?:元|块|毛|rmb|¥)|¥\s*\d|[一二三四五六七八九]\s*折|半价|原价|包邮|预算|月租|租金"
    r"|\d+\s*一\s*(?:斤|袋|个|箱|盒|份|件|台|只|套|瓶|次|小时|天)|一(?:小时|天|次|个月)\s*\d+|价格|价钱|高价|低价|实惠|优惠",
    # Dealing: 出/收/转 at the start, 求购, 团购, 自提, 私聊, 半价出, 有没有要猫粮的.
    r"^(?:出|收|转|卖|租)(?:一|个|台|辆|张|套|件|闲置|二手|几|两|旧)|有需要[^，,。？?\s]{1,6}的吗|出售|出租(?!屋|房|车)|求购|求租|转让|收购|回收|团购|拼单|拼团|代购|截单|自提|私聊|私我"
    r"|私信|有意|(?:需要|要)的(?:私|联系|接龙|找我|加|来|去)|专卖|预订|预定|闲置|批发"
    r"|(?:半价|便宜|低价|免费)(?:出|送|卖|处理)|清仓|甩卖|打折|有(?:没有)?(?:人|谁)?要[^，,。？?\s]{1,8}的",
    # A way to get in touch: 电话, 加微信, 联系王阿姨.
    r"电话|联系(?:我|方式|[^，,。\s]{0,3}(?:阿姨|师傅|先生|女士|老师|经理))|加(?:我)?(?:微信|v)|vx"
    r"|\d{11}|\d{3}x{3,}",
    # What a shop or a tradesman offers: 随叫随到, 上门服务, 开业, 欢迎光临.
    r"随叫随到|24小时|上门(?:服务|回收)|欢迎(?:光临|咨询|选购|订购)|保真|正品|开业|酬宾|招生|首单|立减",
), least=2, weight=1.5)

NEIGHBOURS = Shape("ask", _compile(
    # Put to the neighbours, not to the community.
    # 你们 alone is often the community's staff (你们管不管); 你们家 is a neighbour's home.
    r"你们(?:家|那边|楼|都|平时|一般|在哪|发现|注意到|觉得)|大家(?:家|知道|有没有|都|觉得|平时|一般|用的|去过|说)|有没有人|有人(?:知道|用过|去过|办过|要|一起)|有谁"
    r"|谁(?:知道|家|有|的|拿)"
    r"|大家有(?:经验|好办法|推荐|内推)|哪位(?:邻居|知道|有)|邻居们|各位(?:宝妈|邻居|姐妹|家长|朋友)|群里(?:有没有|有谁|有人|谁|哪位)|姐妹们|宝妈们|家人们|楼上的|楼下的"
    # …or asks whether anyone is, knows or has done something: 有会弹钢琴的老师吗, 有办过的吗.
    r"|有(?:没有)?(?:个|位)?(?:会|懂|做|认识|姓|叫)[^，,。？?\s]{0,8}的?|有(?:没有)?人?(?:办|去|用|买|交|试)过",
    # Asking for their experience or a fact: 在哪交的, 办过吗, 热不热, 推荐一下.
    r"(?:吗|嘛|呢|么|没)[啊呀]?(?=[\s?？!！。，,~～]|$)|[?？]|([热冷贵好快慢远近多准甜香灵忙开])不\1|是不是|还是|多少钱|几点"
    r"|在哪\w?的|(?:办|去|用|买|交|试|弄)过|推荐|分享|怎么样",
), least=2, weight=2.5, not_with_plea=True, yields=True)

WHOEVER = Shape("notice", _compile(
    # Said to whoever it may concern (需要的请…, 不会的可以来社区, 有需要找我): an offer.
    r"(?:(?:需要|不会|有意|想参加|想要|要)[^，,。？?\s]{0,8}?的|有需要的?)(?:居民|邻居|朋友|家长)?"
    r"(?:请|可以|可|来|去|找|联系|私|接龙|报名|在群里说|说一声|吱一声|留言)",
), least=1, weight=2.5, not_with_plea=True)

FACTS = Shape("ask", _compile(
    # When something opens or starts (开门吗, 几楼, 哪天), what a thing is (这是什么花):
    # facts anyone may answer.
    r"(?:开门|关门|上班|下班|营业|开放|开始|结束)了?(?:吗|没|不|呢)(?=[\s?？!！。，,~～啊呀]|$)"
    r"|(?:几楼|哪天)[啊呀呢]?(?=[\s?？!！。，,~～]|$)"
    # Whether one can still join (还能报名吗), or which of two places or days (在三楼还是
    # 一楼, 这周四还是下周四).
    r"|还(?:能|可以)(?:报名|参加|买|领|去|进)(?:吗|不|么)|在[^，,。？?\s]{1,8}还是|这是(?:什么|啥)"
    r"|(?:这周|下周|本周|周[一二三四五六日天]|上午|下午|今天|明天|线上|线下|[一二三四五六七八九十\d]楼)"
    r"[^，,。？?\s]{0,4}还是",
), least=1, weight=2.5, not_with_plea=True, yields=True)

ADVICE = Shape("notice", _compile(
    # Advice to everyone (大家别担心, 大家自觉收一收, 大家去那边充): told, not asked.
    r"(?:大家|各位|邻居们)都?也?(?:去|别|不要|记得|注意|多|少|自觉|一起|赶紧|尽量|放心|小心|出门|留个?心眼"
    r"|留意|当心|警惕|可以试)"
    # …a warning passed on (大家买菜注意点, 别上当): whoever reads it is to take care.
    r"|(?:大家|各位)[\u4e00-\u9fff]{1,4}(?:注意|小心|当心)(?:点|一点|一下|些)?(?:[，,。!！\s~～哈]|$)"
    r"|别上当|不要上当|谨防|提高警惕",
), least=1, weight=2.5, not_with_plea=True)

DEED_DONE = Shape("thanks", _compile(
    # Help already given (帮我收了快递, 帮我们修好了): told, not asked for. Its weight is
    # small: what matters is that its 帮我 pleads for nothing; a need may still follow it.
    r"帮(?:我|我们|我家|我妈|我爸|咱|老人)[\u4e00-\u9fff]{1,4}(?:了|好了|完了)",
), least=1, weight=0.5)

FAVOUR = Shape("ask", _compile(
    # Asked of one neighbour (哪位邻居, 谁去超市), not of the community…
    r"哪位|谁(?:去|有|能|在|顺路)|各位(?:宝妈|邻居|姐妹|家长|朋友)|有没有人|邻居们|宝妈们",
    # …a small favour, often paid for: 帮我带瓶酱油, 借用, 捎, 回来给钱.
    r"帮(?:我|忙)?(?:带|收|拿|取|捎|转|寄)|借(?:我|用)|捎|顺路|给钱|跑腿费|有偿|付费"
    # …or a contact passed on (谁有师傅的电话 发我一下).
    r"|(?:发|推|转)(?:给)?我(?:一下|一个|个)?(?=[，,。!！\s~～]|$)",
), least=2, weight=2.5, yields=True)

NEWS = Shape("chat", _compile(
    # Where it was heard: 新闻, 据说, 朋友圈, 网上.
    r"新闻|据说|听说|看到|朋友圈|网上|报道|转发|电视上?说|刚看|看得我",
    # Somewhere else, or a warning passed on: 隔壁市, 城东一个小区, 咱们这还好, 大家注意点,
    # 老家那边, 有个地方, 上海.
    r"隔壁(?:市|区|县|小区)|对面(?:小区|楼盘)|城[东西南北]|外地|别的小区|一个小区|全国|全市|(?:咱们|我们)这(?:还好|没事)"
    r"|是真的吗|真的假的|不知道(?:什么时候|真假|是不是真的)|谣言|辟谣|(?:大家|各位)(?:注意|留|小心|当心)|老家|(?:有个|好多|别的|其他|有的|很多)地方"
    r"|[南北]方|国外|外省|北京|上海|广州|深圳",
    # The place talked about set against ours: 还是咱们这物业靠谱, 幸好咱们小区还行.
    r"还是咱们|(?:还好|幸好|好在)咱们|咱们这(?:还行|靠谱|挺好)|(?:还好|幸好|好在)没(?:出事|事|人受伤)",
), least=2, weight=3.0, not_with_plea=True)

RESOLVED = Shape("thanks", _compile(
    # A trouble that has stopped (终于不堵了, 再也不怕摔了, 没味了), or work praised for how
    # well it was done (收拾得干干净净, 修得真及时).
    r"(?:终于|总算|再也|已经|都)?(?:不|没|不再)(?:堵|吵|漏|臭|滴|响|闹|脏|乱|冷|怕|疼|滴水|漏水|味|装修|施工)"
    r"[\u4e00-\u9fff]{0,2}了"
    r"|[\u4e00-\u9fff]得(?:很|真|特别|非常|好|挺)?(?:干干净净|干净|整齐|漂亮|及时|利索|仔细|认真)"
    # …or someone has already taken it away (物业一早就清走了), unless it came back.
    r"|(?:清走|拉走|运走|搬走|清理掉|清理干净)了(?![^，,。]{0,8}(?:又|还|没|不))"
    # …or works again (下水道通了, 现在能关上了, 味道没了, 已经不装修了, 换了个新的).
    r"|(?:^[^，,。\s不没]{1,6}(?:通|亮|热)了(?=[\s，,。!！~～]|$)|现在(?:能|可以)(?!不)[\u4e00-\u9fff]{1,4}了"
    r"|(?:味道?|臭味|异味)(?:也)?没了|换了(?:一?个)?新的|(?:冲洗|清洗|疏通|消杀)过了)"
    r"(?![^，,。]{0,8}(?:又|还|没|不))",
), least=1, weight=2.5)

TROUBLE = Shape("chat", _compile(
    # A private trouble told to the neighbours: how it feels (愁死了, 心累, 唉, 😭)…
    r"愁死|愁人|心累|累死|累到|烦死|好烦|真烦|[，,\s]烦$|头大|难受死|心里[^，,。\s]{0,3}(?:难受|苦|堵)"
    r"|心疼死|舍不得|想哭|哭了一|有点慌|两难|没办法|倒霉|^(?:唉|哎)|[，,\s](?:唉|哎)[!！~～。]*$|怀疑人生|老了老了|闹心|糟透"
    r"|郁闷|气死我了|无语|崩溃|紧巴巴|不知道说啥好|😭|😂|🤦|\[捂脸\]|哈哈|见谅|请[几两]天假"
    r"|心情不好|急人|难过|丢人|压力(?:山)?大|心疼|见底|鸡飞狗跳|没救了|难熬|[麻烦疼累吓]死了|心在滴血|管不了了|虚惊一场"
    r"|不习惯|寂寞|好浪漫|年轻真好|太夸张了|忍忍|小摩擦|[，,\s]累[了啊呀]?$",
    # …or that it is in hand already (已经报警了, 师傅下午来修, 明天去医院).
    r"已经(?:找|报警|报过警|下单|修好|好了|约|挂|买|换|叫|联系上|解决|办完)|(?:师傅|工人)[\u4e00-\u9fff]{0,4}来修"
    r"|修好了|下单|叫了(?:救援|师傅|人)|(?:明天|下午|回头|改天)(?:去|带|找)|总算办完|自认倒霉"
    r"|跑医院|陪床|在医院陪|(?:让|叫)我(?:老公|老婆|爸|妈|儿子|闺女|女儿)去|幸好|幸亏"
    r"|(?:算了|不管(?:他|她))(?:[，,\s]|$)",
    # Whose trouble it is: the writer's own or the family's…
    r"^(?:我|俺)|我(?:家|妈|爸|老公|老婆|婆婆|儿子|闺女|女儿|老伴|孩子|娃)|老公|婆婆|孩子他爸|老伴"
    r"|老头子|那口子|闺女",
    # …and what it is about: health, school, work and money, the family's quarrels.
    r"发烧|咳嗽|感冒|[腰牙头胃膝]疼|头晕|血压|失眠|睡不着|睡不好|体检|结节|糖尿病|住院|开刀|手术|考试"
    r"|分数|早恋|高考|中考|上大学|股票|房贷|首付|信用卡|工资|简历|催婚|离婚|吵架|顶嘴|减肥|脾气|记性"
    r"|心情|作业|游戏|[男女]朋友|闺蜜|打架|头发|压力|冷战|预算|钱包|换工作|裁员"
    r"|考砸|成绩|哭闹|住校|兴趣班|补习|出差|加班|带娃|打呼噜|求婚",
), least=2, core=2, weight=2.0, not_with_plea=True)
"""Told, not asked: a neighbour pours out a trouble of their own or their family's, or says
how they are dealing with it. A community worker hears it out and files nothing unless it
asks for help (a plea cancels the shape) or cries that the household cannot go on."""

FORWARD = Shape("notice", _compile(
    # Forwarded from elsewhere (转：, 转需：, 转发：): passed on for the readers, not asked.
    r"^[【\[]?(?:转发?|转需|转载|转自|分享)[】\]]?[:：]|^(?:转发|转载)(?:一下)?\s"
    # …or told under a header of its own (温馨提示：…): a plea in it (请物业…) still cancels it.
    r"|^[【\[]?(?:温馨|友情|重要|紧急|安全)?(?:提示|提醒|通知|公告)[】\]]?[:：]",
), least=1, weight=4.0, not_with_plea=True, whole=True)

LOST_FOUND = Shape("ask", _compile(
    # Something or some pet lost or found (走丢了, 丢了一把钥匙, 捡到一个钱包, 寻物, 失主)…
    r"走丢|跑丢|丢了|丢失|寻物|寻狗|寻猫|寻人启事|捡到|拾到|失主|落在|拿错|取错|放错",
    # …and whoever saw it or owns it to say so (看到的告诉我, 必有重谢, 来拿, 认领).
    r"(?:有|谁)?(?:看到|看见|捡到)的?(?:麻烦|请)?(?:告诉|联系|说一声|通知)|必有重谢|重谢|认领"
    r"|(?:来|自己来|过来)(?:拿|领|取)|放(?:在)?(?:门卫|保安室|物业|驿站)",
), least=2, weight=2.5, not_with_plea=True, unless=quick(re.compile(
    # A person lost (孩子走丢了, 我爸有老年痴呆 走丢了) is the community's to search for.
    r"孩子|小孩|老人|老爷子|老太太|[爸妈]|爷爷|奶奶|姥姥|姥爷|外婆|外公|儿子|女儿|闺女|娃|痴呆|糊涂")))
"""Lost and found among the neighbours (狗狗走丢了 看到的麻烦告诉我一声 必有重谢): asked of
them, not of the community. A person lost is not."""

AILMENT = Shape("chat", _compile(
    # An everyday ailment of the writer's or the family's (腿疼, 头晕, 过敏, 掉头发)…
    r"[腰腿脚膝牙头胃肚肩颈]子?(?:疼|痛|酸|肿)|头晕|失眠|感冒|咳嗽|发烧|过敏|打喷嚏|掉头发|嗓子"
    r"|血压(?:高|有点高|偏高)|记性|老寒腿|肩周炎|颈椎|腰椎|关节",
    # …borne as it always is, treated at home or asked about among friends (老毛病, 天一冷就,
    # 贴了膏药, 有啥好办法, 是不是该去看看): a community files nothing for it.
    r"老毛病|天一冷|一变天|膏药|吃(?:了)?药|少吃|多喝|保暖|好办法|偏方|土方|是不是(?:该|要|得)"
    r"|去医院|看医生|复查|好点了|好多了|好些了|请[几两]天假|养几天|歇几天|休息几天|哈$",
), least=2, weight=2.0, not_with_plea=True)
"""An ailment told to the neighbours (最近老是头晕 量了血压有点高 以后少吃咸的): told, not
asked. A plea (社区医生能不能上门) or a cry that the household cannot pay cancels it."""

SHAPES: tuple[Shape, ...] = (NOTICE, DEAL, NEIGHBOURS, WHOEVER, DEED_DONE, FACTS, ADVICE,
                             FAVOUR, NEWS, RESOLVED, TROUBLE, AILMENT, FORWARD, GOSSIP, FAMILY,
                             COMPARE, PEERS, PAID, PRAISE, OFFER, EXCUSED, LOST_FOUND)
