"""Vocabulary for company and person names (Chinese with a pinyin/English rendering)."""

from __future__ import annotations


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """Parse ``"恒Heng 通Tong"`` into ``(("恒", "Heng"), ("通", "Tong"))``."""
    return tuple((item[0], item[1:]) for item in text.split())


# Trade-name characters (字号); their pinyin syllables are all different so that two
# different Chinese trade names never share an English rendering.
CORE = _pairs(
    """恒Heng 通Tong 华Hua 润Run 鑫Xin 达Da 盛Sheng 源Yuan 宏Hong 泰Tai 隆Long 瑞Rui
    丰Feng 德De 金Jin 海Hai 天Tian 嘉Jia 昌Chang 明Ming 伟Wei 博Bo 凯Kai 正Zheng 安An
    永Yong 利Li 顺Shun 科Ke 创Chuang 航Hang 东Dong 方Fang 中Zhong 联Lian 精Jing 诚Cheng
    荣Rong 旭Xu 宇Yu 光Guang 宝Bao 富Fu 康Kang 美Mei 雷Lei 豪Hao 益Yi 宁Ning 浦Pu 申Shen
    万Wan 祥Xiang 扬Yang 志Zhi 辉Hui 全Quan 平Ping 乐Le 拓Tuo 文Wen 能Neng 沪Hu 聚Ju 森Sen
    林Lin 奥Ao 晨Chen 苏Su 尚Shang 捷Jie 英Ying 启Qi 邦Bang 翰Han 蓝Lan 高Gao 鼎Ding 腾Teng
    飞Fei 云Yun 耀Yao 卓Zhuo 越Yue 环Huan 骏Jun 驰Chi 泽Ze 江Jiang 鹏Peng 星Xing 国Guo
    振Zhen 坤Kun 建Jian 银Yin 赛Sai 朗Lang 迈Mai 欧Ou 亚Ya 思Si 贝Bei 川Chuan 合He 协Xie
    特Te 松Song 桥Qiao 柏Bai 友You 图Tu 彩Cai"""
)

# A look-alike or sound-alike character for each trade-name character (typing errors).
# None of them is itself a trade-name character, so a typo never forms another company's name.
CONFUSABLE = dict(
    _pairs(
        """恒桓 通同 华桦 润闰 鑫新 达答 盛胜 源原 宏洪 泰太 隆龙 瑞锐 丰峰 德得 金今 海每
        天田 嘉佳 昌常 明铭 伟维 博搏 凯恺 正政 安按 永泳 利力 顺舜 科棵 创闯 航杭 东冬
        方芳 中忠 联连 精晶 诚城 荣融 旭序 宇雨 光广 宝保 富福 康慷 美媚 雷蕾 豪毫 益义
        宁凝 浦普 申伸 万湾 祥翔 扬杨 志智 辉晖 全泉 平萍 乐勒 拓托 文纹 能熊 沪护 聚巨
        森深 林琳 奥澳 晨辰 苏酥 尚上 捷杰 英鹰 启起 邦帮 翰瀚 蓝兰 高膏 鼎顶 腾藤 飞菲
        云芸 耀曜 卓桌 越跃 环还 骏俊 驰弛 泽择 江汀 鹏朋 星醒 国帼 振震 坤昆 建健 银垠
        赛塞 朗郎 迈麦 欧鸥 亚压 思斯 贝呗 川穿 合和 协胁 特持 松凇 桥乔 柏伯 友有 图涂
        彩采"""
    )
)

# Industry words (Chinese, English).
INDUSTRY: tuple[tuple[str, str], ...] = (
    ("精密机械", "Precision Machinery"),
    ("机械", "Machinery"),
    ("电子", "Electronics"),
    ("机电设备", "Electromechanical Equipment"),
    ("自动化设备", "Automation Equipment"),
    ("化工", "Chemical"),
    ("模具", "Mould"),
    ("五金制品", "Hardware Products"),
    ("塑胶制品", "Plastic Products"),
    ("电气", "Electric"),
    ("包装材料", "Packaging Materials"),
    ("新材料", "New Materials"),
    ("汽车零部件", "Auto Parts"),
    ("光电", "Optoelectronics"),
    ("仪器仪表", "Instruments"),
    ("钢铁贸易", "Steel Trading"),
    ("国际贸易", "International Trading"),
    ("国际物流", "International Logistics"),
    ("工业设备", "Industrial Equipment"),
    ("电机", "Motor"),
    ("液压设备", "Hydraulic Equipment"),
    ("轴承", "Bearing"),
    ("环保设备", "Environmental Equipment"),
    ("医疗器械", "Medical Devices"),
    ("通信设备", "Communication Equipment"),
    ("纺织", "Textile"),
    ("食品机械", "Food Machinery"),
    ("智能装备", "Intelligent Equipment"),
    ("照明电器", "Lighting Appliances"),
    ("紧固件", "Fasteners"),
    ("铸造", "Casting"),
    ("橡胶制品", "Rubber Products"),
    ("软件", "Software"),
    ("数控设备", "CNC Equipment"),
    ("新能源", "New Energy"),
    ("金属制品", "Metal Products"),
    ("建材", "Building Materials"),
    ("电线电缆", "Wire and Cable"),
    ("阀门", "Valve"),
    ("传动设备", "Transmission Equipment"),
)
TECH_ZH, TECH_EN = "科技", "Technology"

# Legal forms: Chinese suffix, English suffix, weight.
LEGAL: tuple[tuple[str, str, float], ...] = (
    ("有限公司", "Co., Ltd.", 0.75),
    ("有限责任公司", "Co., Ltd.", 0.15),
    ("股份有限公司", "Corp., Ltd.", 0.10),
)
EN_LEGAL_VARIANTS = ("Company Limited", "Co. Ltd", "Limited", "Co., Ltd")
HK_LEGAL_EN = "Limited"

SURNAME = _pairs(
    """王Wang 李Li 张Zhang 刘Liu 陈Chen 杨Yang 黄Huang 赵Zhao 吴Wu 周Zhou 徐Xu 孙Sun
    马Ma 朱Zhu 胡Hu 郭Guo 何He 高Gao 林Lin 罗Luo 郑Zheng 梁Liang 谢Xie 宋Song 唐Tang
    韩Han 冯Feng 邓Deng 曹Cao 彭Peng 曾Zeng 肖Xiao 田Tian 董Dong 袁Yuan 潘Pan 蒋Jiang
    蔡Cai 杜Du 叶Ye 程Cheng 苏Su 魏Wei 吕Lyu 丁Ding 任Ren 沈Shen 姚Yao 卢Lu 崔Cui 钟Zhong
    谭Tan 汪Wang 范Fan 金Jin 石Shi 廖Liao 贾Jia 夏Xia 方Fang 白Bai 邹Zou 孟Meng 熊Xiong
    秦Qin 邱Qiu 尹Yin 薛Xue 段Duan 雷Lei 侯Hou 龙Long 史Shi 陶Tao 贺He 顾Gu 毛Mao 郝Hao
    龚Gong 邵Shao 钱Qian 严Yan 戴Dai 莫Mo 孔Kong 汤Tang"""
)
GIVEN = _pairs(
    """伟Wei 芳Fang 娜Na 敏Min 静Jing 丽Li 强Qiang 磊Lei 军Jun 洋Yang 勇Yong 艳Yan 杰Jie
    娟Juan 涛Tao 明Ming 超Chao 秀Xiu 霞Xia 平Ping 刚Gang 桂Gui 英Ying 华Hua 玉Yu 萍Ping
    红Hong 建Jian 文Wen 辉Hui 斌Bin 宇Yu 浩Hao 凯Kai 鹏Peng 晨Chen 欣Xin 婷Ting 雪Xue
    琳Lin 博Bo 海Hai 志Zhi 峰Feng 波Bo 亮Liang 佳Jia 梅Mei 龙Long 春Chun 东Dong"""
)

MAIL_PROVIDERS = ("163.com", "126.com", "qq.com", "sina.com", "139.com")
MAIL_BOXES = ("info", "sales", "service", "purchase", "contact", "office", "admin")
MAIL_TLDS = (".com", ".com.cn", ".cn", ".net")
