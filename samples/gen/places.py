"""Cities, districts, streets and the phone spellings that go with them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from samples.gen.common import Obj, fullwidth_digits, obj


@dataclass(frozen=True)
class City:
    """One city: names, trunk code without the 0, postcode prefix, districts and streets."""

    zh: str
    en: str
    area: str
    post: str
    districts: tuple[tuple[str, str], ...]  # (name, administrative division code)
    streets: tuple[str, ...]


def _city(head: str, districts: str, streets: str) -> City:
    """Build a city from ``"zh|en|area|post"``, ``"区code 区code"`` and ``"路 路"``."""
    zh, en, area, post = head.split("|")
    pairs = tuple((item[:-6], item[-6:]) for item in districts.split())
    return City(zh, en, area, post, pairs, tuple(streets.split()))


CITIES: tuple[City, ...] = (
    _city(
        "北京|Beijing|10|100",
        "朝阳区110105 海淀区110108 东城区110101 西城区110102 丰台区110106 大兴区110115",
        "建国路 中关村大街 望京街 酒仙桥路 经济技术开发区荣华中路 西直门外大街",
    ),
    _city(
        "上海|Shanghai|21|200",
        "浦东新区310115 徐汇区310104 静安区310106 闵行区310112 嘉定区310114 松江区310117",
        "张江路 世纪大道 淮海中路 漕宝路 南京西路 经济技术开发区紫星路",
    ),
    _city(
        "深圳|Shenzhen|755|518",
        "南山区440305 福田区440304 宝安区440306 龙岗区440307 罗湖区440303",
        "深南大道 科技园南路 福华路 宝安大道 高新技术产业开发区科苑路",
    ),
    _city(
        "广州|Guangzhou|20|510",
        "天河区440106 番禺区440113 白云区440111 黄埔区440112 越秀区440104",
        "天河路 中山大道 科学大道 广州大道 经济技术开发区开创大道",
    ),
    _city(
        "杭州|Hangzhou|571|310",
        "西湖区330106 滨江区330108 余杭区330110 萧山区330109 拱墅区330105",
        "文三路 江南大道 文一西路 莫干山路 高新技术产业开发区江虹路",
    ),
    _city(
        "苏州|Suzhou|512|215",
        "工业园区320571 吴中区320506 相城区320507 虎丘区320505 姑苏区320508",
        "星湖街 金鸡湖大道 狮山路 长江路 高新技术产业开发区竹园路",
    ),
    _city(
        "天津|Tianjin|22|300",
        "滨海新区120116 南开区120104 西青区120111 河西区120103 东丽区120110",
        "第三大街 南京路 友谊路 黄河道 经济技术开发区洞庭路",
    ),
    _city(
        "成都|Chengdu|28|610",
        "高新区510109 武侯区510107 锦江区510104 双流区510116 青羊区510105",
        "天府大道 人民南路 蜀汉路 科华北路 经济技术开发区龙泉大道",
    ),
    _city(
        "武汉|Wuhan|27|430",
        "洪山区420111 江汉区420103 武昌区420106 汉阳区420105 江夏区420115",
        "光谷大道 解放大道 中北路 珞喻路 经济技术开发区东风大道",
    ),
    _city(
        "南京|Nanjing|25|210",
        "江宁区320115 鼓楼区320106 玄武区320102 秦淮区320104 浦口区320111",
        "中山路 双龙大道 龙蟠路 汉中路 经济技术开发区将军大道",
    ),
    _city(
        "香港|Hong Kong|852|",
        "观塘区810000 九龙城区810000 湾仔区810000 沙田区810000",
        "开源道 伟业街 告士打道 沙田乡事会路",
    ),
)
HK = len(CITIES) - 1
CITY_WEIGHTS = (0.2, 0.17, 0.12, 0.1, 0.08, 0.08, 0.07, 0.06, 0.05, 0.05, 0.02)
# Long development-zone names and the short forms people type.
ADDRESS_ABBREVIATIONS = (
    ("经济技术开发区", "经开区"),
    ("高新技术产业开发区", "高新区"),
    ("工业园区", "园区"),
)
MOBILE_PREFIXES = tuple(
    f"1{a}{b}"
    for a, bs in (("3", "0123456789"), ("5", "012356789"), ("8", "0123456789"))
    for b in bs
)

# Phone spellings; the indices are the "format codes" used by the generator.
LANDLINE_FORMATS = ("dash", "brackets", "plus86", "0086", "fullwidth")
MOBILE_FORMATS = ("spaced", "plain", "plus86", "fullwidth")
HK_FORMATS = ("plus852", "plus852_dash", "00852")
HK_PREFIXES = ("21", "23", "24", "25", "26", "27", "28", "29")


def landline(area: str, local: str, fmt: int) -> str:
    """Spell a landline: 010-65521234, (010) 6552 1234, +86 10 6552 1234, 0086-10-..."""
    if fmt == 1:
        return f"(0{area}) {local[:4]} {local[4:]}"
    if fmt == 2:
        return f"+86 {area} {local[:4]} {local[4:]}"
    if fmt == 3:
        return f"0086-{area}-{local}"
    text = f"0{area}-{local}"
    return fullwidth_digits(text) if fmt == 4 else text


def mobile(number: str, fmt: int) -> str:
    """Spell a mobile number: 138 1234 5678, 13812345678, +86 138 ..., full-width."""
    spaced = f"{number[:3]} {number[3:7]} {number[7:]}"
    if fmt == 0:
        return spaced
    if fmt == 2:
        return f"+86 {spaced}"
    return fullwidth_digits(number) if fmt == 3 else number


def hong_kong(local: str, fmt: int) -> str:
    """Spell a Hong Kong number: +852 2345 6789, +852-23456789, 00852-23456789."""
    if fmt == 1:
        return f"+852-{local}"
    if fmt == 2:
        return f"00852-{local}"
    return f"+852 {local[:4]} {local[4:]}"


ERP_PHONE_MIX = ((0.45, 0.12, 0.08, 0.3, 0.05), (0.45, 0.4, 0.1, 0.05))
CRM_PHONE_MIX = ((0.3, 0.2, 0.45, 0.05, 0.0), (0.3, 0.2, 0.5, 0.0))


def spell_phones(
    area: Obj,
    local: Obj,
    fmt_draw: np.ndarray,
    mix: tuple[tuple[float, ...], tuple[float, ...]] = ERP_PHONE_MIX,
) -> Obj:
    """Spell every phone; ``area`` is '' for mobiles, ``local`` '' for no phone.

    ``fmt_draw`` holds uniform numbers in [0, 1) that pick the format per row; ``mix``
    holds the landline and mobile format weights.
    """
    out = []
    for a, loc, u in zip(area.tolist(), local.tolist(), fmt_draw.tolist(), strict=True):
        if not loc:
            out.append("")
        elif a == "852":
            out.append(hong_kong(loc, int(u * len(HK_FORMATS))))
        elif a:
            out.append(landline(a, loc, _bucket(u, mix[0])))
        else:
            out.append(mobile(loc, _bucket(u, mix[1])))
    return obj(out)


def _bucket(u: float, weights: tuple[float, ...]) -> int:
    """Index of the weight bucket that contains ``u``."""
    acc = 0.0
    for i, w in enumerate(weights):
        acc += w
        if u < acc:
            return i
    return len(weights) - 1
