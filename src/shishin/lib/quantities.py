"""Find the numbers inside Japanese report text: quantities with their unit, and dates.

``extract("・車両数 15台 ・距離 9,588km", UNITS)`` gives (車両数, 15, 台) and (距離, 9588, km).
Dates (平成30年2月1日, H29.10.15, 11月12日～25日) are found first and are never
quantities. Spans index the text as written; nothing is normalised in place.
"""

from __future__ import annotations

import bisect
import calendar
import contextlib
import datetime as dt
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from . import wareki
from .tables import json_number

# Unit → the label used when the text gives none (「(2件)」 → 件数). Cities extend the list as data.
# Units are matched by width (％ is %, ｋｍ and ㎞ are km): each is named here as NFKC writes it.
DEFAULT_UNITS: dict[str, str] = {
    # counts
    "件": "件数",
    "回": "回数",
    "人": "人数",
    "名": "人数",
    "人泊": "延べ宿泊数",
    "台": "台数",
    "個": "個数",
    "枚": "枚数",
    "点": "点数",
    "本": "本数",
    "冊": "冊数",
    "部": "部数",
    "基": "基数",
    "灯": "灯数",
    "セット": "セット数",
    "組": "組数",
    "世帯": "世帯数",
    "戸": "戸数",
    "棟": "棟数",
    "団体": "団体数",
    "組織": "組織数",
    "社": "社数",
    "事業者": "事業者数",
    "事業所": "事業所数",
    "事業": "事業数",
    "店": "店数",
    "店舗": "店舗数",
    "施設": "施設数",
    "会場": "会場数",
    "校": "校数",
    "園": "園数",
    "公園": "公園数",
    "駅": "駅数",
    "橋": "橋数",
    "地区": "地区数",
    "区画": "区画数",
    "路線": "路線数",
    "地点": "地点数",
    "箇所": "箇所数",
    "ヶ所": "箇所数",
    "か所": "箇所数",
    "カ所": "箇所数",
    "ケ所": "箇所数",
    "ヵ所": "箇所数",
    "項目": "項目数",
    "手続": "手続数",
    "講座": "講座数",
    "コース": "コース数",
    "クラス": "クラス数",
    "学級": "学級数",
    "頭": "頭数",
    "匹": "匹数",
    "食": "食数",
    "発": "発数",
    "羽": "羽数",
    "隻": "隻数",
    "通": "通数",
    "席": "席数",
    "床": "床数",
    "株": "株数",
    "法人": "法人数",
    "自治会": "自治会数",
    "町内会": "町内会数",
    "医療機関": "医療機関数",
    "機関": "機関数",
    "局": "局数",
    "教室": "教室数",
    "クラブ": "クラブ数",
    "面": "面数",
    "張": "張数",
    "人日": "延べ人日",
    "袋": "袋数",
    "体": "体数",
    "チーム": "チーム数",
    "会員": "会員数",
    "指標": "指標数",
    "小学校区": "小学校区数",
    "中学校区": "中学校区数",
    "校区": "校区数",
    "学区": "学区数",
    "商店街": "商店街数",
    "経営体": "経営体数",
    "筆": "筆数",
    "言語": "言語数",
    "ルート": "ルート数",
    "便": "便数",
    "歩": "歩数",
    "班": "班数",
    "課": "課数",
    "館": "館数",
    "団": "団数",
    "尾": "尾数",
    "団地": "団地数",
    "着": "着数",
    "区域": "区域数",
    "種目": "種目数",
    "競技": "競技数",
    "か国": "国数",
    "カ国": "国数",
    "ヶ国": "国数",
    "軒": "軒数",
    "大学": "大学数",
    "企業": "企業数",
    "漁協": "漁協数",
    "病院": "病院数",
    "診療所": "診療所数",
    "市町村": "市町村数",
    "自治体": "自治体数",
    "高校": "高校数",
    "小学校": "小学校数",
    "中学校": "中学校数",
    "薬局": "薬局数",
    "分団": "分団数",
    "組合": "組合数",
    "協議会": "協議会数",
    "サークル": "サークル数",
    "種類": "種類数",
    "作品": "作品数",
    "公演": "公演数",
    "試合": "試合数",
    "大会": "大会数",
    "足": "足数",
    "箱": "箱数",
    "缶": "缶数",
    "両": "両数",
    "系統": "系統数",
    "回線": "回線数",
    "アカウント": "アカウント数",
    "河川": "河川数",
    "ステーション": "ステーション数",
    "支部": "支部数",
    "センター": "センター数",
    "施策": "施策数",
    "トンネル": "トンネル数",
    # money (千円, 万円 and 億円 are numbers in 円: 「3,480万6千円」 is 34,806,000 円)
    "円": "金額",
    # ratios
    "%": "割合",
    "パーセント": "割合",
    "割": "割合",
    "倍": "倍率",
    "ポイント": "ポイント",
    "‰": "千分率",
    # measures
    "km": "距離",
    "キロメートル": "距離",
    "m": "長さ",
    "メートル": "長さ",
    "mm": "長さ",
    "cm": "長さ",
    "m2": "面積",
    "ha": "面積",
    "ヘクタール": "面積",
    "m3": "体積",
    "平方メートル": "面積",
    "平方キロメートル": "面積",
    "km2": "面積",  # ㎢ and km² fold to it
    "km/h": "速度",
    "立方メートル": "体積",
    "t": "重さ",
    "トン": "重さ",
    "kg": "重さ",
    "L": "量",
    "リットル": "量",
    "kWh": "電力量",
    "MWh": "電力量",
    "kW": "出力",
    "mg/L": "濃度",
    "g": "重さ",
    "t-CO2": "排出量",
    "μg/m3": "濃度",
    "ppm": "濃度",
    "ppb": "濃度",
    "dB": "騒音レベル",
    "グラム": "重さ",
    # durations, counted as amounts (a period that frames another figure is a date: 「2日間で」)
    "時間": "時間",
    "分": "時間",
    "秒": "時間",
    "日間": "日数",
    "日": "日数",
    "週間": "週数",
    "か月": "月数",
    "ヶ月": "月数",
    "カ月": "月数",
}
# Indicators are stored as numeric(18, 4) (`plans.models.Indicator.value`): a number with more
# digits is not read as a quantity (it stays in the text), rather than rounded or refused.
MAX_INTEGER_DIGITS = 14
MAX_DECIMAL_PLACES = 4
APPROXIMATE = frozenset({"約", "およそ", "概ね", "おおむね", "程度", "前後", "余り", "ほど", "強", "弱"})
_PREFIXES = (
    "合計",
    "総計",
    "累計",
    "およそ",
    "概ね",
    "おおむね",
    "のべ",
    "延べ",
    "最大",
    "最小",
    "上限",
    "下限",
    "月平均",
    "年平均",
    "日平均",
    "平均",
    "全体で",
    "累計で",
    "合計で",
    "総額で",
    "約",
    "計",
    "全",
)
_SUFFIXES = ("程度", "以上", "以下", "未満", "以内", "前後", "余り", "ほど", "超", "強", "弱", "分")
_PERIOD_RE = re.compile(r"(?P<period>毎週|毎月|毎年|毎日|年間|(?<![一-龥々])(?:週|月|年|日))に?$")
_CONNECTIVES = (
    "として",
    "とした",
    "による",
    "における",
    "において",
    "に対する",
    "に対して",
    "に対し",
    "するため",
    "の一環で",
    "のうち",
    "うち",
    "に続き",
    "を通じて",
    "に基づき",
    "に基づいて",
    "合わせて",
    "あわせて",
    "に比べますと",
    "と比べますと",
    "に比べると",
    "と比べると",
    "に比べて",
    "と比べて",
    "に比べ",
    "と比べ",
    "次いで",
)
_UNINFORMATIVE = frozenset(
    {
        "市内",
        "上記",
        "うち",
        "残り",
        "各",
        "全",
        "計",
        "合計",
        "累計",
        "約",
        "のべ",
        "延べ",
        "全体",
        "総数",
        "その",
        "新た",
        "それぞれ",
        "いずれも",
        "例年どおり",
        "例年通り",
        "引き続き",
        # records and extremes say how a figure ranks, not what it counts: 「過去最多の188件」
        "過去最多",
        "過去最高",
        "過去最少",
        "過去最低",
        "最多",
        "最長",
        "最短",
        "最高",
        "最低",
        "最も多く",
        "最も少なく",
        "最も高く",
        "最も低く",
        "前後",
    }
)
_TIME_WORDS = (
    "今年度",
    "来年度",
    "翌年度",
    "次年度",
    "本年度",
    "昨年度",
    "前年度",
    "当年度",
    "年度末",
    "年度",
    "今年",
    "昨年",
    "今回",
    "前回",
    "現在",
    "時点",
    "末時点",
    "前々回調査",
    "ピーク時",
    "策定時",
    "前回調査",
    "前々回",
    "前年同期",
    "前年同月",
    "前年度末",
    "年間を通じて",
    "年間",
    "本年中",
    "これまでに",
    "これまで",
    "年度中",
    "年中",
    "各回",
    "各校",
    "毎",
)
# What is left of a date a label began with: 「(令和5年)中に警察から」, 「(3月)末で」.
_LEADING_TIME_PART = re.compile(
    r"^(?:(?:中|末|頃)(?:には|では|に|で|の|は|、|まで)|(?:以降|以来|現在|時点)(?:に|で|の|は|、|まで)?)(?=.{2})"
)
# A year a label may start with: 「令和4年度の実態調査で把握した空き家」.
_LEADING_DATE = re.compile(
    r"^(?:お尋ねの|ご質問の)|^(?:(?:令和|平成|昭和)[0-9元]{1,2}|[RHS][0-9元]{1,2}|[0-9]{4})年?度?(?:末)?の(?=.{2})"
)
# A place a label may start with that adds nothing: 「市内の防犯ボランティア団体数」 is 防犯ボランティア団体数.
_PLACE_RE = re.compile(r"^(?:市内|市域|地域|県内|町内|区内|国内|全国|大気中|市|県|町|村)の(?=.{2})")
# The denominator a label may end with: 「補助は1戸当たり」, 「1人につき」.
_PER_RE = re.compile(r"(?:[0-9一二三四五六七八九十百千]+[^0-9]{0,4}?)?(?:当たり|あたり|につき|ごと|平均(?:では|で)?)$")
# A count of people the text says did something: 「1,386人が参加」 → 参加者.
# A change the text reports after a quantity: 「前年より19件減少」 is the 減少数 of the topic.
_CHANGE_RE = re.compile(
    r"(?: ?\([^()]{1,12}\))?\)?(?:の)?(増加|減少|上昇|低下|改善|悪化|拡大|縮小|削減|短縮|上回|下回|増(?![一-龥])|減(?![一-龥])|多|少な|引き?上げ|引き?下げ)"
)
# What a change in each unit is: of a rate, the rate of the change (前年度比4.8%増 → …の増加率).
_CHANGE_KIND = {
    "%": "率",
    "パーセント": "率",
    "割": "率",
    "ポイント": "幅",
    "t": "量",
    "kg": "量",
    "g": "量",
    "円": "額",
}
_CHANGES = {"上回": "上昇", "下回": "低下", "増": "増加", "減": "減少", "多": "増加", "少な": "減少"} | {
    "引き上げ": "引上げ",
    "引き下げ": "引下げ",
}
# A word that says how a number compares or moved, alone: 「38人多い417人」, 「3社増えて計27社」.
_PREDICATE = re.compile(r"[一-龥]{1,2}(?:い|く|えて|えた|って|った|し|して|した|なく|ない)")
# What a label cannot be: a comparison with another time (前年比, 前年, 前年度と比べて, 5年前).
_COMPARISONS = re.compile(
    r"^(?:前年度?|昨年度?|基準年度?|前回)比?$|(?<!構成)比$|(?:と|に)?(?:比べ|比較し)て?$|(?:と|に)比較$|[0-9]+年前$"
)
# Words right before a number that compare it with another time: 「前年度比107.4%」, 「前年同期より612人」.
_COMPARED = re.compile(
    r"(?P<when>対?(?:前|昨|前々|基準)(?:年|年度|年同期|年同月|月|回|回調査|年度末)|同期|同月|策定時|計画策定時|ピーク時"
    r"|[0-9]+年前)(?:\([^()]*\))?"
    r"(?P<how>比|に比べて?|と比べて?|と比較して|から|より|の) ?(?:約|およそ)?(?P<sign>[+△▲-])?$"
)
# A denominator right before a number, which the label keeps: 「(利用者1人当たり237円)」, 「1センター当たり」.
_PER_LABEL = re.compile(
    r"(?<![一-龥ァ-ヴー0-9,])(?P<per>[一-龥ァ-ヴー]{0,6}(?:(?:[0-9][0-9,]*|[一二三四五六七八九十百千]+)[一-龥ァ-ヴー]{1,5}?){1,2}"
    r"(?:(?:当たり|あたり)(?:の?平均)?|平均))(?:では|で|は|の|に換算すると|に換算しますと|にすると|にしますと)? ?"
    r"(?:月額|年額|平均|約)? ?$"
)
# A target right after it: 「0人とすることを目標」, 「一千台を目標に」.
_TARGET_AFTER = re.compile(r"(?:以上|以下|未満)?(?:(?:に|と)?(?:する|とする)?(?:こと)?を目標|とする目標)")
# What a target set earlier in the sentence is of, for the result after it: 「最終処分量を令和7年度に3,000t以下と
# する目標に対し、令和5年度は3,284t」.
_AFTER_TARGET = re.compile(r"(?P<what>[^、。をは]{2,30})を[^、。]{0,30}?目標値?に対し(?:て)?、")
# A target right before the number: 「目標値(7.0件以下)」, 「目標の年40台」.
_TARGET_BEFORE = re.compile(r"(?P<word>目標値?|計画値|目標数値)(?:の|は|:|\(|である)? ?(?:年|年間|約)?$")
# A target named before a percentage that says how far it was reached: 「目標(20,000件)の92.4%」.
_ACHIEVED = re.compile(r"目標値?(?:\([^()]*\))?の ?$|目標値?の[0-9][0-9,.万千]*[^0-9、。]{1,4}に対し(?:て)?、? ?$")
# What a figure is set against, right before the number: 「類似団体平均を」, 「県平均を」.
_AGAINST = re.compile(
    r"([一-龥ァ-ヴー]{0,8}(?:平均|目標値?|基準値?))(?:の[0-9][0-9,.]*[^0-9、。を]{0,4}|\([^()]*\))?"
    r"(?:を|に(?:対し(?:て)?、?)?|まで(?:あと|残り)) ?(?:約)?$"
)
# Short of what it is set against: 「目標の100件に8件届かなかった」.
_SHORT_OF = re.compile(r"(?:届か|及ば|足りな|満たな)")
# The values a sheet gives an indicator, and the line naming it: 「指標名:防犯パトロール参加者数」.
_KINDS = "基準値|実績値|目標値|現状値|計画値|当初値|中間目標|最終目標|目標|実績|現状|計画"
# A value's kind said before it, on a sheet's row (「目標値 60.0%」, 「R3実績 187日」) or in a sentence that names
# the indicator first (「…の参加者数は、目標2,500人に対し実績2,718人」, 「…としていたが、実績は2,252件」).
_VALUE_KIND = re.compile(
    rf"(?:^|(?<=[\s/|:、])|(?<=年度)|(?<=年)|(?<=対し)|(?<=R[0-9])|(?<=R[0-9]{{2}}))({_KINDS})(?:\([^()]*\))?は? ?:? ?$"
)
_ROW_VALUES = re.compile(rf"[ /|]*(?:R[0-9]+ )?(?:{_KINDS}|令和|平成|R[0-9])")
_ROW_HEADING = re.compile(r"^[・●○■◆ ]*(?:【[^】]*】)?(?:(?:(?:成果|活動)?指標名?|目標|項目)[①-⑳]? ?:? ?)?")


def _row_indicator(text: str, end: int) -> str:
    """The indicator a row of values before ``end`` gives its values for: the words the row starts with
    (「特定健康診査受診率 目標値 60.0% 実績値 43.8%」, 「成果指標:…の割合 目標 85%」), or the line above when the
    row starts with its values (「【活動指標】防犯カメラ設置台数\n令和5年度目標:40台 実績:38台」)."""
    stop = end
    for _ in range(8):  # the rows of one indicator's values
        start = text.rfind("\n", 0, stop) + 1
        words = _ROW_HEADING.sub("", _ROW_VALUES.split(text[start:stop], maxsplit=1)[0]).strip(" :、")
        words = re.sub("(?:は|の|では)$", "", words)  # 「…の参加者数は、目標…」
        words = re.sub(r"\(単位:[^()]*\)", "", words)  # 「青色防犯パトロール実施団体数(単位:団体)」
        if words:
            words = words[1:-1] if re.fullmatch("「[^「」]+」", words) else words
            return words if _informative(words) and not re.search("[0-9]", words) else ""
        if start == 0:
            break
        stop = start - 1
    return ""


# 「新たに」 before a figure, and the act right after it: 「新たに4社を認定し」.
_FRESH = re.compile(r"新たに[^、。0-9]{0,8}$")
_DONE_AFTER = re.compile(r"(を|と|に|が)?([一-龥]{2,4})(?:し|する|した)")
# A change said once for two figures: 「それぞれ3.8%、2.9%減少」, 「件数で9件、被害額で約3,100万円増加」.
_LATER_CHANGE = re.compile(
    r"、(?:(?!より|から|比)[^、。0-9]){0,8}?(?:約)?[0-9][0-9,.万千億]* ?[^\s、。0-9]{0,4}?"
    r"(?=(?:の)?(増加|減少|上昇|低下|増|減)(?![一-龥]))"
)
# What a figure of a change is a change of: 「件数で9件」, 「団体数で6団体」.
_BY_ATTRIBUTE = re.compile(r"((?:[一-龥]{0,4})(?:件数|人数|数|額|金額|率|量))(?:で|では) ?(?:約)?$")
# What was done at the places a figure counts: 「31校で防犯教室を実施」.
_HELD_THERE = re.compile(r"で(?P<what>[^、。をにはが]{2,20})を(?P<act>[一-龥]{2,4})(?:し|する|した)")
# Older people picked out by age in a label: 「65歳以上の方」, 「60歳以上の高齢者」.
_ELDERLY = re.compile(r"(?<![0-9])(?:6[05]|7[05])歳以上(の)?")


def _unbound(label: str) -> str:
    """``label`` naming older people as 高齢者 rather than by the age that picked them (a number in a label
    belongs only to a fixed name): 65歳以上の方からの相談 → 高齢者からの相談, 65歳以上の高齢者 → 高齢者."""
    bound = _ELDERLY.search(label)
    if not bound:
        return label
    head, rest = label[: bound.start()], label[bound.end() :]
    if re.match("(?:方(?![法針面向式策])|(?:人|者)(?![一-龥]))", rest):
        return f"{head}高齢者{rest[1:]}"
    if re.search("高齢|老年", rest[:10]):
        return head + rest  # 「65歳以上のひとり暮らし高齢者」 says it already
    return f"{head}高齢者{'の' if bound[1] else ''}{rest}"


# A parenthesis inside a label that explains a word rather than says which one: a list, a figure or a
# longer aside (「がん検診(胃・肺・大腸)の受診者数」, 「目標(30%)との差」, 「不審電話(いわゆるアポ電)の前年比」).
# A short one says which (「防犯教室(小学校)の参加者」), as does one at the end (「受講率(小学校)」).
_EXPLAINS = "0-9、,・%"  # a figure or a list in parentheses explains the words before it
_ASIDE = re.compile(rf"\((?:[^()]*[{_EXPLAINS}][^()]*|[^()]{{5,}})\)")

# An aside that ends the words before a figure and explains them (a figure, a list, a clause), which
# `_label_before` drops: 「除却費補助(所得が…所有者が対象)は」.
_EXPLAINING = re.compile(rf"\([^()]*[{_EXPLAINS}がをは][^()]*\)$")


# An object left without its verb in a label: 「防犯ブザーを市内の新1年生の配布人数」, 「通学路を中心に…」.
_OBJECT_WITHOUT_VERB = re.compile(r"(?P<what>[^をのは]{2,})を(?P<rest>(?:[^ぁ-ゖ]|[のにや]|向け)+)$")


# A topic and, after it, where or whom of it and its measure: 「防犯教室は市内の小学校の開催校数」.
_TOPIC_THEN_MEASURE = re.compile(r"(?P<what>[^はがをの]{2,}(?:の[^はがを]+)?)は(?P<rest>(?:[^ぁ-ゖ]|の)+の[^ぁ-ゖ]+)")


def _mended(label: str) -> str:
    """``label`` as a clerk writes it in a table: 不審電話(いわゆるアポ電)の前年比 → 不審電話の前年比;
    防犯ブザーを市内の新1年生の配布人数 → 防犯ブザーの配布人数 (what was given, and its count);
    防犯教室は市内の小学校の開催校数 → 防犯教室の開催校数 (the topic's measure)."""
    topic = _TOPIC_THEN_MEASURE.fullmatch(label) if "は" in label else None
    if (
        topic
        and _ATTRIBUTE.search(topic["rest"])
        and _informative(topic["what"])
        and not topic["what"].endswith(("で", "に"))
    ):
        label = f"{topic['what']}の{topic['rest'].rpartition('の')[2]}"
    bare = _OBJECT_WITHOUT_VERB.search(label) if "を" in label else None
    if bare and bare["rest"].startswith(("中心に", "対象に")):
        # 「通学路を中心に」, 「中高生を対象に」: where or for whom, not what.
        label = label[: bare.start()] + bare["rest"].removeprefix("中心に").removeprefix("対象に")
    elif bare and "の" in bare["rest"]:
        label = f"{label[: bare.start()]}{bare['what']}の{bare['rest'].rpartition('の')[2]}"
    plain = _ASIDE.sub("", label[:-1]) + label[-1:]
    plain = re.sub(r"([一-龥ァ-ヴー]{2,})\(\1\)", r"\1", plain)  # 「高齢者(高齢者)」, when a rule named it so
    return plain if len(plain) >= 2 else label


# Those a clause names, counted: 「このうち年度内に創業したのは9人」, 「…のうち、対策を完了したのは87か所」,
# 「違反の是正が完了したのは211件」, 「条例を制定しているのは12市町」.
# Its end is looked for first (`_CLEFT_END`), then the clause.
_CLEFT = r"の[はが] ?(?:約|延べ|計)?$"
_CLEFT_END = re.compile(_CLEFT)
_DONE_BY = re.compile(
    rf"(?:うち|、(?:この|その)?(?:うち)?|^|。)(?P<clause>(?:(?!うち)[^、。は]){{2,24}}?(?:た|ている|ておる|ております)){_CLEFT}"
)
# What a clause's figure counts, by its unit: 「整備を終えたのは12校」 are 整備を終えた学校.
_DONE_WHAT = {"人": "人数", "名": "人数", "件": "件数", "校": "学校数", "橋": "橋梁数", "社": "企業数"} | {
    unit: "箇所数" for unit in ("か所", "箇所", "カ所", "ヶ所", "ケ所")
}
# The other counts of a parenthesis after a noun, after a figure and before it: 「防犯講座(2回、延べ64人)」.
_A_COUNT = r"(?:延べ|のべ|約|計)?[0-9][0-9,.]* ?[^\s、。()0-9]{1,4}"
_COUNTS_IN_PARENTHESES = re.compile(rf"(?:[、,] ?{_A_COUNT})+\)")
_COUNTS_SO_FAR = re.compile(rf"\((?:{_A_COUNT}[、,] ?)+")
# What came from those a figure counts: 「14団体から応募があり」.
_CAME_FROM = re.compile(r"から(?:の)?([一-龥]{2,4})(?:が|を|は|も)")
# What a figure came to: 「21件が解体・改善に至った」, 「4件が就労につながった」.
_LED_TO = re.compile(r"が(?P<what>[一-龥ァ-ヴー・]{2,10})に(?P<how>至った|つながった|結び付いた|結びついた)")
# What people the number counts did: 「23人が通級し」, 「9人が年度内に創業した」.
_DID_RE = re.compile(r"が(?:[^、。がは]{0,24}?[にでを])?(?P<act>[一-龥]{2,4})(?:し|した|する)")
# Other figures of the same act after a number: 「年3回、延べ2,150通送付」.
_ACT_AFTER = re.compile(
    r"(?:[、 ](?:各|延べ|のべ|計|合計|約)?[0-9一二三四五六七八九十百千万億][0-9,.十百千万億]*[^\s、。ぁ-ゖ0-9]{1,4}?)* ?"
    r"([一-龥]{2,4})(?:し|する|を行|を実施|いた)"
)
# The act a clause ends with: 「…を高齢者に配布した」 → 配布.
_ACT_RE = re.compile(r"([一-龥]{2,4})(?:し|する|を行|を実施|いた)")
_PLACES = frozenset(
    {"校", "園", "会場", "施設", "地区", "箇所", "か所", "ヶ所", "カ所", "ケ所", "ヵ所", "駅", "店舗", "地点"}
)
_ACTORS_RE = re.compile(
    r"が(参加|受講|来場|利用|登録|応募|受診|受検|修了|出走|出演|出席|回答|加入|入会|就労|従事|来館|視聴|実施|結成)"
)
_PARTICLES = ("から", "より", "まで", "を", "に", "で", "は", "が", "と", "の", "も", "へ")
_TOPIC_MARKERS = ("につきましては", "については", "に関しては", "に関して", "においては", "では", "は")
_DELIMITERS = set("、。，．,「」『』【】[]/／:;！？!?|｜ \n")
_OPENING = {")": "("}
_LONG_LABEL = 24
_SHORT_TAIL = 4
_VERB_RE = re.compile(r"[一-龥]{2,4}")
# Words before a number that say to whom it went, not what it is.
_RECIPIENT_RE = re.compile(
    r"(?:へ|に対して|に対し|に[0-9一二三四五六七八九十]+[^0-9]{0,3}?(?:当たり|あたり|につき)) ?$"
)
# A label naming people: 「児童1,034人が参加」 counts 参加児童.
_PEOPLE_RE = re.compile(r"^(?:児童|生徒|園児|市民|住民|高齢者|親子|保護者|職員)$")
# Nouns written with kana between their kanji: 問い合わせ, 申し込み, 読み聞かせ.
# Words a report writes in kana that hold what looks like a particle or are all kana: 深夜はいかい, ひったくり.
_KANA_WORDS = ("ひったくり", "つきまとい", "はいかい", "いじめ", "のぞき", "ぼったくり", "なりすまし")
_KANA_NOUNS = (
    "問い合わせ|申し込み|申込み|取り組み|読み聞かせ|見守り|貸し出し|受け入れ|払い戻し|立ち入り|持ち込み|聞き取り"
)
# 「の申込みが」: the noun after a number (a noun may hold one kana: 仕切り, 申込み).
_AFTER_NOUN_RE = re.compile(
    rf"の((?:[一-龥ァ-ヴー々・A-Za-z]*(?:{_KANA_NOUNS}))"
    r"|[一-龥ァ-ヴー々・A-Za-z]{2,}(?:[りみしきけ](?=[^ぁ-ゖ]|[がをにへのでとはも]|$)[一-龥ァ-ヴー々]*)?)"
)
# 「の簡易間仕切りを」: a number's noun, then what is done to it (a noun may hold one kana: 仕切り, 申込み).
_ACTED_RE = re.compile(
    rf"の((?:[一-龥ァ-ヴー々・A-Za-z]*(?:{_KANA_NOUNS}))|[一-龥ァ-ヴー々・A-Za-z]{{2,}}(?:[りみしきけ][一-龥ァ-ヴー々]*)?)"
    r"(を|に対し|に|へ)"
)

# The text is matched as folded by width (`_fold`): ASCII digits, letters and signs, one space.
_KANJI_DIGITS = "一二三四五六七八九"
_KANJI_NUMBER = _KANJI_DIGITS + "十百千万億兆"
_ARABIC = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
# A number as a report writes it: 1,166 / 7.5 / 3,480万6千 / 2億5千万 / 一千 (`_value` reads it).
# Digits and kanji alternate, so that a run of digits is read one way only: a number without a unit
# after it fails in time linear in its length (「(?:digits|kanji)*」 tried every split of 30 digits).
_KANJI_RUN = f"[{_KANJI_NUMBER}]+"
_NUMBER = (
    rf"(?<![0-9.,第A-Za-z/{_KANJI_NUMBER}])"
    rf"(?:(?:{_ARABIC})(?:{_KANJI_RUN}(?:{_ARABIC}))*(?:{_KANJI_RUN})?|{_KANJI_RUN}(?:(?:{_ARABIC}){_KANJI_RUN})*(?:{_ARABIC})?)"
)
_D = "[0-9]"
_K = "[一二三四五六七八九十]"  # a kanji digit of a date in the minutes: 平成二十六年度, 令和五年十二月一日
_RANGE = rf"(?:(?:[~〜-]|から|・)(?:(?P<m2>{_D}{{1,2}})月)?(?P<d2>{_D}{{1,2}})日)?"
_TIME = rf"(?:午前|午後)?{_D}{{1,2}}時(?!間|点)(?:{_D}{{1,2}}分|半)?"
_PART = "上旬|中旬|下旬|末|初め|頃"
# 同年6月1日, 翌年1月: a month named from another year's.
_SAME = "今年|本年|同年|翌年|前年|昨年"
_ERA = "明治|大正|昭和|平成|令和"
_DATE_RES = (
    re.compile(
        rf"(?:(?P<era>{_ERA})|(?<![A-Za-z])(?P<letter>[MTSHR])(?=(?:元|{_D}{{1,2}})年{_D}))(?P<y>元|{_D}{{1,2}}|{_K}{{1,3}})年"
        rf"(?:(?P<fy>度)|(?P<m>{_D}{{1,2}}|{_K}{{1,2}})月(?:(?P<d>{_D}{{1,2}}|{_K}{{1,3}})日{_RANGE}"
        rf"|(?:{_PART})?(?:(?:から|~|〜)(?P<m_end>{_D}{{1,2}})月(?:{_PART})?)?))?"
    ),
    re.compile(rf"(?<!{_D})(?P<west>{_D}{{4}})年(?:(?P<fy>度)|(?P<m>{_D}{{1,2}})月(?:(?P<d>{_D}{{1,2}})日{_RANGE})?)?"),
    re.compile(rf"(?<![0-9/.])(?P<west>(?:19|20){_D}{{2}})/(?P<m>{_D}{{1,2}})/(?P<d>{_D}{{1,2}})(?![0-9/])"),
    re.compile(
        rf"(?<![A-Za-z])(?:(?P<letter>[MTSHR])|(?P<era>{_ERA}|明|大|昭|平|令))"
        rf"(?P<y>元|{_D}{{1,2}})\.(?P<m>{_D}{{1,2}})\.(?P<d>{_D}{{1,2}})"
    ),
    re.compile(rf"(?:(?:{_SAME})|(?<![0-9年]))(?P<m>{_D}{{1,2}})月(?P<d>{_D}{{1,2}})日{_RANGE}(?:{_TIME}|号)?"),
    # H30, R2年度, H30年度末, R4末: an era's letter and a year.
    re.compile(
        rf"(?<![A-Za-z])(?P<letter>[MTSHR])(?P<y>元|{_D}{{1,2}})(?:年(?P<fy>度)?(?:末|初め|当初)?|末|(?![0-9.]))"
    ),
    # 30年度末, 元年度: a year of the era the report is written in.
    re.compile(rf"(?<![0-9年])(?P<short>元|{_D}{{1,2}})年(?P<fy>度)(?:末|初め|当初)?"),
)
# Named in the text but not dated: months, days, times of day and spans of time that frame a figure.
_LOOSE_RES = (
    (
        "month",
        re.compile(
            rf"(?:(?:{_SAME})|(?<![0-9年か月ヶカヵケ~〜])){_D}{{1,2}}(?:月?[~〜]{_D}{{1,2}})?月(?:{_PART})?"
            rf"(?:(?:から|~|〜)(?:{_D}{{1,2}}月(?:{_D}{{1,2}}日|{_PART})?|{_D}{{1,2}}日|{_PART}))?(?![0-9])"
        ),
    ),
    (
        "day",
        re.compile(
            rf"(?:(?:毎月|翌|同)|(?<![0-9月])){_D}{{1,2}}日(?:[・、]{_D}{{1,2}}日)+|(?:毎月|翌|同){_D}{{1,2}}日"
            rf"|(?<![0-9月延べ]){_D}{{1,2}}日(?=現在|付|号|\((?:月|火|水|木|金|土|日|祝)[^()]{{0,3}}\))"
            rf"|(?<=去る){_D}{{1,2}}日|(?<![0-9月延べ]){_D}{{1,2}}日(?=から{_D}+日間)"
        ),
    ),
    ("time", re.compile(rf"{_TIME}(?:(?:から|~|〜){_TIME})?|{_D}{{1,2}}:{_D}{{2}}(?:[~〜]{_D}{{1,2}}:{_D}{{2}})?")),
    (
        "period",
        re.compile(
            rf"(?<!延べ)(?<!のべ)(?<![0-9.]){_D}+(?:年間|か年|ヶ年|カ年|日間|週間|か月|ヶ月|カ月)"
            rf"(?=で(?!す|ござ|あ[るり]|あった)|の|に(?!短縮|延長|拡大|縮小|増|減)|を(?!短縮|延長)|にわたり|にわたって|実施|開催)"
            rf"|{_D}+年ぶり|第{_D}四半期"
            # 「7月15日から8月31日までの48日間」: the span of dates just named.
            rf"|(?<=までの){_D}+(?:日間|週間|か月間?|ヶ月間?|カ月間?|か年|ヶ年|カ年|年間)"
            # 「10月14日・15日の2日間」, 「11月の1か月間」: likewise, right after a date.
            rf"|(?<=[日月]の){_D}+(?:日間|週間|か月間?|ヶ月間?|カ月間?)"
            # 「十年前の約二百六十団体」: when, in the minutes' kanji too.
            rf"|(?:{_D}+|{_K}+)年前(?!後)"
        ),
    ),
)
# Words that make a number with 以上, 以下, 未満 or 以内 a condition rather than an amount reported:
# 「所得が200万円未満の世帯を対象に」, 「構成員5人以上で活動していることを要件」.
_CONDITION_RE = re.compile(r"要件|条件|対象|場合|限り|限る|満たす|基準(?!値)|推奨|目安|こととし")
_THRESHOLDS = ("以上", "以下", "未満", "以内")
# What every date, time or period above is written with: a text without any of these holds none.
_MAY_HOLD_DATE = re.compile(r"[年月日時:期/]|[MTSHR明大昭平令][0-9元]")
_LETTER_ERA = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
_SHORT_ERA = {"明": "明治", "大": "大正", "昭": "昭和", "平": "平成", "令": "令和"}
# What follows a number and unit that makes them part of a word, a reference or a denominator:
# 3回目, 1人暮らし, 2人乗り, 3人一組, 1日乗車券, 1台当たり, 1人につき, 24時間対応.
_NOT_AFTER = re.compile(
    r"目(?!標)|当たり|あたり|平均|につき|毎|おき|置き|暮らし|乗り|一組|組|[0-9一二三四五六七八九]組|体制|世帯|同居|部屋"
    r"|乗車券|乗車|券|対応|化|建て|制|児|同乗|用(?![ぁ-ゖ])|満点|値|年額|月額|日額|の[^0-9、。]{1,5}?(?:につき|当たり|あたり)"
    r"|槽|最大|最小|最高|最低"  # 5人槽 (a size of septic tank); 1日最大給水量 (the day's largest)
    r"|構成|り|柱|ひとり|ショップ|住宅"  # 2部構成, 3通り, 3本柱, 1人ひとり, 100円ショップ, 2世帯住宅
)
# What makes the number after it an age, a size or a reference, not an amount: 生後4か月, 満65歳, 口径150mm,
# 「資料2 体感治安…」.
_NOT_AMOUNT_BEFORE = ("生後", "満", "口径", "直径", "管径", "内径", "外径", "資料", "別表", "別紙", "様式")
# 「2人1組」, 「1人1台端末」: the second count of a fixed phrase.
_PAIRED = re.compile(r"[0-9一二三四五六七八九]人[0-9一二](?:組|台)$")
_NEGATED = re.compile(r"も(?:な[いかくし]|い(?:な|ませ)|あり?ませ|ござい|発生し(?:な|ませ)|見られ(?:な|ませ))")
# Characters folded by width before matching: the full-width forms of ASCII, the ideographic space,
# the squared units (㎞ ㎡ ㌧), the minus sign, superscript ² and ³ (m³ is m3) and the micro sign. Circled numbers (①) are not digits of a quantity.
# How far around a number its label, topic and conditions are looked for (a sentence of a report is
# rarely a third of this): beyond it, a text of any length costs the same for each number.
_CONTEXT = 400
_FOLDED = re.compile("[\uff01-\uff5e\u3000\u3300-\u33ff\u2212\u00b2\u00b3\u00b5]")


@dataclass(frozen=True)
class Quantity:
    label: str
    value: Decimal
    unit: str
    qualifier: str  # 約, 程度, 合計, 全, 週 (per week), 延べ 以上… or empty
    approximate: bool
    start: int
    end: int
    value_max: Decimal | None = None  # the upper bound of a range (「20～30名」: 20 to 30)

    def as_json(self) -> dict[str, object]:
        """The quantity as the JSON outputs write it (value a number, whole when it is; a range's
        upper bound as ``value_max``, absent otherwise)."""
        written: dict[str, object] = {
            "label": self.label,
            "value": json_number(self.value),
            "unit": self.unit,
            "qualifier": self.qualifier,
            "approximate": self.approximate,
        }
        if self.value_max is not None:
            written["value_max"] = json_number(self.value_max)
        return written


@dataclass(frozen=True)
class DateMention:
    """A date or a period named in the text; ``first`` and ``last`` are None when the year is unknown."""

    text: str
    precision: str  # day, month, year or fiscal_year; time or period when it names no date
    first: dt.date | None
    last: dt.date | None
    start: int
    end: int

    def as_json(self) -> dict[str, object]:
        """The date as the JSON outputs write it: ISO dates, or null when the year is unknown."""
        return {
            "text": self.text,
            "precision": self.precision,
            "start": self.first.isoformat() if self.first else None,
            "end": self.last.isoformat() if self.last else None,
        }


@dataclass(frozen=True)
class Extraction:
    quantities: tuple[Quantity, ...]
    dates: tuple[DateMention, ...]


def _int(text: str) -> int:
    """A date's year, month or day, in digits or kanji (二十六 is 26)."""
    return int(unicodedata.normalize("NFKC", text)) if text.isascii() or text.isdigit() else int(_small(text))


def _fold(text: str) -> tuple[str, list[int]]:
    """``text`` folded by width (`_FOLDED`) and with a verb's kana inside its stem dropped (貸し出し is
    貸出し, as a table heads it: 貸出台数), and where each folded character came from in ``text`` (one
    more entry, for the end): spans found in the folded text index the text as written."""
    digits = _positional_digits(text)
    if not _FOLDED.search(text) and not _OKURIGANA.search(text) and not digits:
        return text, list(range(len(text) + 1))
    dropped = {match.start() + 1 for match in _OKURIGANA.finditer(text)}
    folded: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        if index in dropped:
            continue
        written = unicodedata.normalize("NFKC", char) if _FOLDED.match(char) else char
        written = digits.get(index, written)
        folded.append(written)
        where += [index] * len(written)
    where.append(len(text))
    return "".join(folded), where


# A number written digit by digit in kanji, as vertical text does (八〇五基, 二〇二三年度; ○ for 〇 too), not
# inside a number written with 十百千万億; two digits in a row are the words for a few (二三日, 四五人).
_POSITIONAL = re.compile(
    "(?<![一二三四五六七八九十百千万億〇○])[一二三四五六七八九][〇○一二三四五六七八九]+(?![〇○一二三四五六七八九十百千万億])"
)


# A decimal in kanji, as the minutes write it: 「一・五倍」, 「〇・五ha」, 「二十八・五％」; only before a unit
# a decimal is measured in (「一・二年生」 are two years, 「二・三件」 two or three).
_KANJI_DECIMAL = re.compile(
    "(?<![一二三四五六七八九十百千万億〇○])(?P<whole>[一二三四五六七八九十百〇○]+)・(?P<part>[〇一二三四五六七八九]+)"
    "(?= ?(?:倍|%|％|パーセント|ポイント|割|ha|ｈａ|ヘクタール|km|ｋｍ|キロ|メートル|トン|億|万|時間|か月|ヶ月))"
)


def _kanji_decimals(text: str) -> dict[int, str]:
    """Where ``text`` writes a decimal in kanji, what each character reads as (「二十八・五％」: 28.5)."""
    digits: dict[int, str] = {}
    for found in _KANJI_DECIMAL.finditer(text):
        whole = found["whole"].replace("○", "〇")
        value = ""
        if not any(mark in whole for mark in "十百"):
            value = "".join(str(_ZERO_TO_NINE.index(c)) for c in whole)  # 「二八・五」: digit by digit
        elif "〇" not in whole:
            with contextlib.suppress(ValueError):
                value = str(_small(whole))  # 「二十八・五」
        if not value:
            continue  # not a number: 「十十・五」
        digits |= {found.start(): value} | {found.start() + n: "" for n in range(1, len(whole))}
        digits[found.end("whole")] = "."
        digits |= {found.start("part") + n: str(_ZERO_TO_NINE.index(c)) for n, c in enumerate(found["part"])}
    return digits


_ZERO_TO_NINE = "〇一二三四五六七八九"


def _positional_digits(text: str) -> dict[int, str]:
    """Where ``text`` writes a number digit by digit in kanji, the arabic digit for each (「八〇五基」: 805)."""
    digits: dict[int, str] = _kanji_decimals(text) if "・" in text else {}
    if "〇" not in text and "○" not in text and not re.search("[一二三四五六七八九]{2}", text):
        return digits
    for run in _POSITIONAL.finditer(text):
        if run.start() in digits:
            continue  # the whole of a decimal
        values = ["〇一二三四五六七八九".index("〇" if c == "○" else c) for c in run[0]]
        if len(values) == 2 and values[1] == values[0] + 1:
            continue  # 二三日: two or three days
        digits |= {run.start() + n: str(value) for n, value in enumerate(values)}
    return digits


# Verbs a report writes with kana inside the stem, which its tables write without: 貸し出し → 貸出し.
_OKURIGANA = re.compile("(?:貸し出|払い出|申し込)")


def _year(groups: dict[str, str | None], fiscal_year: int | None) -> int | None:
    """The western year a date match names, if it can be told."""
    if groups.get("west"):
        return _int(groups["west"] or "")
    era = groups.get("era")
    if groups.get("letter"):
        era = _LETTER_ERA[groups["letter"] or ""]
    era = _SHORT_ERA.get(era or "", era)
    number_text = groups.get("y") or groups.get("short")
    if number_text is None:
        if fiscal_year is None or not groups.get("m"):
            return None
        # 11月12日 in a fiscal year's record: April to December is the fiscal year's own calendar year.
        return fiscal_year if _int(groups["m"] or "") >= 4 else fiscal_year + 1
    number = 1 if number_text == "元" else _int(number_text)
    if era is None:
        # 30年度末 in a report of FY2019: the era's year nearest the report's.
        if fiscal_year is None:
            return None
        candidates = []
        for name in ("昭和", "平成", "令和"):
            with contextlib.suppress(wareki.WarekiError):
                candidates.append(wareki.parse_fiscal_year(f"{name}{number}年度"))
        return min(candidates, key=lambda year: abs(year - fiscal_year), default=None)
    try:
        return wareki.parse_fiscal_year(f"{era}{number}年度")
    except wareki.WarekiError:
        return None  # 平成40年: written as a date, but the era had ended


def _date_mention(match: re.Match[str], fiscal_year: int | None, where: list[int], text: str) -> DateMention:
    groups = match.groupdict()
    year = _year(groups, fiscal_year)
    month = _int(groups["m"]) if groups.get("m") else None
    day = _int(groups["d"]) if groups.get("d") else None
    if groups.get("fy"):
        precision = "fiscal_year"
    elif day is not None:
        precision = "day"
    elif month is not None:
        precision = "month"
    else:
        precision = "year"
    first = last = None
    if year is not None:
        try:
            if precision == "fiscal_year":
                first, last = wareki.fiscal_year_bounds(year)
            elif precision == "year":
                first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
            elif month is not None and day is None:
                first = dt.date(year, month, 1)
                end_month = _int(groups["m_end"]) if groups.get("m_end") else month  # 「令和5年4月～6月」
                end_year = year + 1 if end_month < month else year
                last = dt.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
            elif month is not None and day is not None:
                first = last = dt.date(year, month, day)
                if groups.get("d2"):
                    end_month = _int(groups["m2"]) if groups.get("m2") else month
                    end_year = year + 1 if end_month < month else year
                    last = dt.date(end_year, end_month, _int(groups["d2"]))
        except ValueError:
            first = last = None  # 2月30日: named as a date, but no such day
    start, end = where[match.start()], where[match.end() - 1] + 1
    return DateMention(text[start:end], precision, first, last, start, end)


def _find_dates(
    folded: str, where: list[int], text: str, fiscal_year: int | None
) -> list[tuple[int, int, DateMention]]:
    """The dates in ``text``, each with its span in the folded text."""
    found: list[tuple[int, int, DateMention]] = []  # in the order of the text; they never overlap
    if not _MAY_HOLD_DATE.search(folded):
        return found  # most items: nothing a date is written with

    def add(match: re.Match[str], date: Callable[[], DateMention]) -> None:
        """Keep a date unless it overlaps one found by an earlier pattern."""
        at = bisect.bisect_left(found, match.start(), key=lambda d: d[0])
        if (at > 0 and found[at - 1][1] > match.start()) or (at < len(found) and found[at][0] < match.end()):
            return
        found.insert(at, (match.start(), match.end(), date()))

    for pattern in _DATE_RES:
        for match in pattern.finditer(folded):
            add(match, lambda m=match: _date_mention(m, fiscal_year, where, text))  # type: ignore[misc]
    for precision, pattern in _LOOSE_RES:
        for match in pattern.finditer(folded):
            start, end = where[match.start()], where[match.end() - 1] + 1
            add(match, lambda p=precision, s=start, e=end: DateMention(text[s:e], p, None, None, s, e))  # type: ignore[misc]
    return found


@functools.lru_cache(maxsize=16)
def _folded_units(units: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """The units as the folded text writes them (ｋｍ and ㎞ are km), with their fallback labels."""
    return {_fold(name)[0]: label for name, label in units}


@functools.lru_cache(maxsize=16)
def _quantity_re(units: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    prefixes = "|".join(_PREFIXES)
    suffixes = "|".join(_SUFFIXES)
    return re.compile(
        rf"(?P<prefix>(?:(?:{prefixes}) ?){{1,3}})?(?P<number>{_NUMBER})"
        rf"(?:(?: ?(?P<unit1>{names}))? ?(?:[~〜]|(?<=[0-9])-(?=[0-9])) ?(?P<number2>{_NUMBER}))?"
        rf" ?(?P<unit>{names})(?:(?<=時間)(?P<minutes>[0-9]{{1,2}})分|(?<=時間)(?P<half>半)|(?<=割)(?P<bu>[0-9])分)?"
        rf"(?P<suffix>{suffixes})?(?![A-Za-z])"
    )


_MARKS = "十百千万億兆"  # in the order of their size


def _low_end(low: str, high: str) -> str:
    """The first end of a range as meant, when only the second is written with 万, 千 or 億:
    「300～500万円」 is 300万 to 500万, 「3千～5千万円」 3千万 to 5千万; but 「500～1千円」 is 500 to 1千."""
    tail = re.search(f"[{_MARKS}]+$", high)
    if not tail or (low[-1] in _MARKS and low[-1] not in tail[0][:-1]):
        return low
    scaled = low + (tail[0][tail[0].index(low[-1]) + 1 :] if low[-1] in _MARKS else tail[0])
    low_value, scaled_value, high_value = _value(low), _value(scaled), _value(high)
    if low_value is None or scaled_value is None or high_value is None:
        return low
    return scaled if low_value < scaled_value <= high_value else low


def _value(number: str) -> Decimal | None:
    """The value of a number as written: 1,166 → 1166; 3,480万6千 → 34806000; 一千 → 1000; None if it
    is not one (a lone 千 or 十, kanji digits without 十百千万億: 一部 is not a number)."""
    if len(number) == 1 and number in "二三四五六七八九":
        return Decimal(_KANJI_DIGITS.index(number) + 1)  # 「欠席委員 五名」 (一 alone is a word: 一部)
    if not any(c.isdigit() for c in number) and (len(number) < 2 or not any(c in _MARKS for c in number)):
        return None
    total = Decimal(0)
    rest = number
    try:
        for mark, power in (("兆", 12), ("億", 8), ("万", 4)):
            if mark in rest:
                head, rest = rest.split(mark, 1)
                total += (_small(head) if head else Decimal(1)) * 10**power
        if rest:
            total += _small(rest)
    except ValueError:
        return None
    return total


def _small(number: str) -> Decimal:
    """A number under 10,000 written with 千, 百 and 十 (or none): 6千, 三百五十, 2,500, 12.5."""
    if re.fullmatch(_ARABIC, number):
        return Decimal(number.replace(",", ""))
    total = Decimal(0)
    rest = number
    for mark, power in (("千", 3), ("百", 2), ("十", 1)):
        if mark in rest:
            head, rest = rest.split(mark, 1)
            total += (_digit(head) if head else Decimal(1)) * 10**power
    return total + (_digit(rest) if rest else 0)


def _digit(written: str) -> Decimal:
    if written in _KANJI_DIGITS and len(written) == 1:
        return Decimal(_KANJI_DIGITS.index(written) + 1)
    if re.fullmatch(_ARABIC, written):
        return Decimal(written.replace(",", ""))
    raise ValueError(written)


def _word_end(label: str, cut: int) -> bool:
    """Whether what `_trim` would cut at ``cut`` ends a word instead: 「…に関すること」 keeps its と,
    「子ども」 its も, 「成約」 and 「水位計」 their 約 and 計."""
    tail = label[cut:]
    return label.endswith(("こと", "もの", "ども")) or (
        len(tail) == 1 and _is_kanji(tail) and _is_kanji(label[cut - 1])
    )


def _is_kanji(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or char == "々"


def _trim(label: str) -> str:
    """A label without the particles, time words and uninformative words at its ends (the longest such
    word first: 「…合計」 loses 合計, not 計)."""
    while True:
        end = _TRIM_END.search(label)
        if end and end.start() > 0 and not _word_end(label, end.start()):
            label = label[: end.start()]
            continue
        start = _TRIM_START.match(label)
        if start and start.end() < len(label):
            label = label[start.end() :]
            continue
        return label


def _words(*words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted({w for group in words for w in group}, key=len, reverse=True))


# The copula of a council answer: 「防犯カメラの設置台数でございますが」.
_COPULAS = ("でございます", "でございまして", "でありまして", "であります", "です", "であり")
# A council answer's topic: 「防犯カメラにつきましては」.
_ABOUT = ("につきましては", "につきまして", "について", "に関して", "についてのお尋ね", "に関するお尋ね", "のお尋ね")
_TRIM_END = re.compile(f"(?:{_words(_PARTICLES, _UNINFORMATIVE, _TIME_WORDS, _COPULAS, _ABOUT)})$")
_TRIM_START = re.compile(f"(?:{_words(_PARTICLES, _TIME_WORDS)})(?!ん|いかい|ぞき)")  # がん検診 keeps its が


_PER_NUMBER = re.compile(r"[0-9,]+[^0-9、。]{1,3}?(?:当たり|あたり)")
_WHEN_IN_PARENTHESES = re.compile(r"\([^()]*[0-9][^()]*[時月日年][^()]*\)")


def _phrase_before(text: str, end: int, floor: int) -> str:
    """The words before ``end``, back to a delimiter: 「通学路防犯カメラの設置(小学校) 40台」."""
    stop = end
    while stop > floor and text[stop - 1] == " ":
        stop -= 1
    subject = stop - 1 > floor and text[stop - 1] in "がはもを" and text[stop - 2] == "」"
    if stop > floor and (text[stop - 1] == "」" or subject):
        # 「出前講座「わが家の防災」を」: the thing, not its title; 「指標「自主防犯活動団体数」は」: its name;
        # 「事故種別では「急病」が3,682件」, 「次いで「一般負傷」875件」: the words quoted name it.
        close = stop - 2 if subject else stop - 1
        opening = text.rfind("「", floor, close)
        before = text[floor:opening] if opening >= floor else ""
        if opening >= floor and (
            re.search("(?:指標|項目|目標)$", before) or not before or re.search("(?:[、。はがで]|次いで)$", before)
        ):
            return text[opening + 1 : close]
        if opening > floor:
            stop = opening
    start = stop
    while start > floor:
        char = text[start - 1]
        if char in _OPENING:
            opening = text.rfind(_OPENING[char], floor, start - 1)
            if opening < 0:
                break
            start = opening
            continue
        if char == "」" and text[start : start + 1] in ("と", "人") and text.rfind("「", floor, start - 1) >= 0:
            start = text.rfind("「", floor, start - 1)  # 「「夜道が不安」と答えた人」: what they answered
            continue
        if char == "," and start - 2 >= floor and text[start - 2].isdigit() and text[start : start + 1].isdigit():
            number = start - 1
            while number > floor and (text[number - 1].isdigit() or text[number - 1] == ","):
                number -= 1
            if not _PER_NUMBER.match(text, number):
                return ""  # 「1,000万円を超えるもの」: inside a number, not words before one
            start = number  # 「人口1,000人当たりの」: a denominator, words of the label
            continue
        if char in _DELIMITERS or char == "(":
            break
        if char == "・" and (start - 1 == 0 or text[start - 2] in " \n"):
            break  # a bullet, not a middle dot inside a word
        start -= 1
    # 「夜間パトロール(午後8時~9時)には」: when, not what.
    return _WHEN_IN_PARENTHESES.sub("", text[start:stop]).replace("「", "").replace("」", "")


def _label_before(text: str, end: int, floor: int, counted: bool = False) -> str:
    """The label the words before ``end`` give, back to ``floor``; ``counted`` when a number follows them
    (then 「教育委員会会議は定例会12回」 names a part of the topic, 定例会)."""
    # 「除却費補助(所得が400万円未満の所有者が対象)は」: the words before an aside that explains them (a
    # figure, a list, a clause); one that says which stays (「市税収納率(滞納繰越分)」).
    label = _phrase_before(text, end, floor)
    label = _EXPLAINING.sub("", label) if not label.startswith("(") else label
    for connective in _CONNECTIVES:
        head, _, tail = label.rpartition(connective)
        if connective in label and not (head and re.fullmatch("(?:もの|の)[がはも]?", tail)):
            label = tail  # but 「面談によるもの」 says which of them
    acting = re.match(f"(?:{_ACTING.pattern})(?:では|は)、?", label)
    if acting and acting.end() < len(label):
        label = label[acting.end() :]  # 「都市計画課は…基準を」: what it acted on, not who
    label = _trim(_PER_RE.sub("", _trim(label)))
    for marker in ("は", "を"):
        # 「ひったくりは前年6件」, 「侵入防止柵を延長4.8km」: the topic or the object, not the few words
        # after it (a longer tail is the thing counted: 「…を検討する地域団体との協議 3団体」), unless
        # the topic is a breakdown of it: 「発生源別では建設作業が19件」 counts 建設作業.
        if label.endswith(_KANA_WORDS) and marker in label[-4:]:
            continue  # 「深夜はいかい」: は inside a word
        head, _, tail = label.rpartition(marker)
        if (
            (head.endswith("別で") or head in ("内訳", "その内訳"))
            and _informative(_trim(tail))
            and not re.search("[0-9]", tail)
        ):
            label = _trim(tail)
        elif marker == "は" and _INDICATOR.search(_trim(head)) and _is_category(_trim(tail)):
            label = f"{_trim(head)}（{_trim(tail)}）"  # 「市税の収納率は現年課税分99.1%」
        elif len(tail) <= _SHORT_TAIL and _informative(_trim(head)):
            # 「特定保健指導は対象者891人」, 「教育委員会会議は定例会12回」: who or what of the topic, when
            # the few words name one.
            named = _trim(tail)
            part = counted and marker == "は" and _is_category(named) and not _PLACE_RE.match(named + "の")
            attribute = re.fullmatch(
                "(?:条例)?定数|定員|実員|現員|延長|(?:月|年|日|総)額|面積|距離", named
            )  # 「…は条例定数520人」
            label = (
                f"{_trim(head)}の{named}" if part or (counted and attribute and named != _trim(head)) else _trim(head)
            )
    if label.endswith("など"):
        # 「会員は自治会・商店会など86団体」: examples of what is counted; the topic names it.
        label = _trim(label.rpartition("は")[0]) if "は" in label else ""
    label = _LEADING_TIME_PART.sub("", _PLACE_RE.sub("", _LEADING_DATE.sub("", label)))
    # 「公共施設に設置している防犯カメラ」: the thing, not the clause that says which.
    clause = _CLAUSE_BEFORE_NOUN.search(label)
    if clause:
        label = label[clause.end() :]
    elif _RELATIVE_END.search(label):
        return ""  # 「破損した11基を修繕」: a clause saying which; the thing is named elsewhere
    if len(label) > _LONG_LABEL:
        # Keep the noun at the end of a long clause: 「…準備していた啓発グッズ」 → 啓発グッズ.
        kana = [i for i, c in enumerate(label[:-2]) if _is_hiragana(c)]
        if kana:
            label = label[kana[-1] + 1 :]
    return label


# A clause before the noun it says which of: 「公共施設に設置している防犯カメラ」.
_CLAUSE_BEFORE_NOUN = re.compile(
    r"(?:ている|ていた|している|ております|した|(?<!関)する|される|された|できる|なった)"
    r"(?=(?:[一-龥ァ-ヴー々A-Za-z](?:(?![のをにはがでともへやか])[ぁ-ゖ])?){2,}$)"
)


# What a count of an act is called by its unit: 「配食サービスは延べ12,860食を配達」 → 配達食数.
_COUNT_OF = {"回": "回数", "円": "額"} | {
    unit: f"{unit}数" for unit in ("件", "部", "枚", "冊", "本", "台", "食", "基", "灯", "個", "戸", "棟", "頭", "羽")
}
_TARGETS = frozenset({"目標", "目標値", "目標数値", "計画値"})
# A label that names a measure of something rather than a part of it: 面積, 金額, 件数, 割合.
_ATTRIBUTE = re.compile(r"(?:面積|金額|額|件数|人数|数|率|割合|量|距離|延長|時間|日数|回数)$")
# What a label cannot be alone: a word that qualifies a number (上限, 平均, 総額).
_QUALIFIERS = frozenset({*_PREFIXES, "総額"})
# The end of a clause that says which ones, not what: 「倒木の危険がある」, 「破損した」.
_RELATIVE_END = re.compile(r"(?:ある|いる|した|された|ない|なった|れる)$")


# A label naming what is measured, which a breakdown divides: 収納率, 認定者, 参加人数.
_INDICATOR = re.compile(r"(?:面積|金額|額|件数|人数|数|率|割合|量|距離|延長|時間|日数|回数|者|員)$")


_DIGIT_OR_PARTICLE = re.compile("[0-9をにはでとのもへや]")
# An ordinal alone is no label: 第8期, 第3回.
_ORDINAL = re.compile("第[0-9一二三四五六七八九十]+[期回次号]")


def _is_category(words: str) -> bool:
    """Whether ``words`` name a part of what is counted (小学校, 現年課税分, 休日), not a thing of its own."""
    return (
        _informative(words)
        and len(words) <= 8
        and not _DIGIT_OR_PARTICLE.search(words)
        and (words.endswith("ん") or not _is_hiragana(words[-1]))  # 胃がん is a word, 多く is not
        and not _ATTRIBUTE.search(words)
        and not _COMPARISONS.search(words)
    )


def _breakdown(text: str, sentence: int, start: int, label: str, unit: str) -> str:
    """「就学援助の認定者は小学生1,012人、中学生688人」: the second of the parts a topic is divided into,
    named with the topic (就学援助の認定者（中学生）), when a part before it was counted in the same unit."""
    if not _is_category(label):
        return ""
    line = text[sentence:start]
    marker = max(line.rfind("は"), line.find(":"))
    if marker <= 0:
        return ""
    between = line[marker + 1 :]
    # 「・…達成率:小学校 92.3%」, 「受診率は、胃がん8.4%」: the first part, right after the topic.
    first = (line[marker] == ":" or between.startswith("、")) and between.strip("、 ") == label
    parts = rf"(?:[、 ]*[^、。]{{0,12}}?[0-9][0-9,.万千億]* ?{re.escape(unit)}\)?)+[、 (]*"
    if not (first or re.fullmatch(parts, between.rstrip(" でが").removesuffix(label))):
        return ""
    topic = _label_before(text, sentence + marker, sentence)
    return f"{topic}（{label}）" if _INDICATOR.search(topic) and topic != label else ""


@functools.lru_cache(maxsize=8192)
def _informative(label: str) -> bool:
    return (
        len(label) >= 2
        and label not in _UNINFORMATIVE
        and label not in _QUALIFIERS
        and label not in _TIME_WORDS
        and (not all(map(_is_hiragana, label)) or label.endswith(_KANA_WORDS))
        and not _PREDICATE.fullmatch(label)
        and not _is_date(label)
        and not _SPAN_OF_TIME.search(label)
        and not _ORDINAL.fullmatch(label)
        and not _COUNTED.fullmatch(label)
    )


# A label that says when, not what: 「観光シーズン中に」, 「会期中」.
_SPAN_OF_TIME = re.compile(r"(?:期間|シーズン|会期|年度|年|月|開催|休暇|休み)中$")
# A number and a word or two, alone: 「1日」 (of 「1日平均」) is no label.
_COUNTED = re.compile(r"[0-9.,]+[^0-9]{0,2}")


_DIGIT_OR_ERA = re.compile(rf"[0-9元]|{_ERA}")
_ERA_YEAR = re.compile(rf"(?:{_ERA})(?:[0-9元]+|{_K}+)")


def _is_date(words: str) -> bool:
    """Whether ``words`` are a date or a year, whole (令和6年度, H30, 令和6): no label."""
    if not _DIGIT_OR_ERA.search(words):
        return False  # most labels: no number, no era, no date
    return any(pattern.fullmatch(words) for pattern in _DATE_RES) or bool(_ERA_YEAR.fullmatch(words))


def _topic(text: str, sentence: int, end: int) -> str:
    """What a sentence is about, before ``end``: the phrase before a colon on its line, or before the
    nearest topic marker (は, については, では, が) that is not a date or a time word, or its object."""
    line = text[sentence:end]
    colon = line.find(":")
    if colon > 0:
        head = _label_before(text, sentence + colon, sentence)
        if _informative(head) and not _COMPARISONS.search(head):
            return head
        bullet = line.lstrip("・ ")  # 「・防犯教室の受講者数（年間） 令和6年度：132人」
        head = _label_before(bullet, min([i for i in (bullet.find("("), bullet.find(" "), len(bullet)) if i > 0]), 0)
        if _informative(head) and not re.match("[0-9]", head):  # not the tail of a number: 「1,026人であった」
            return head
    acting = False  # whether the sentence names who acted: 「道路課では、…」
    for marker in reversed(list(re.finditer("については|に関しては|では|は|が|(?<![にでとどい最])も(?![のう])", line))):
        if line.endswith(("当たり", "あたり"), 0, marker.start()):
            continue  # 「人口千人当たりでは」: a denominator, not what the sentence is about
        head = _label_before(text, sentence + marker.start(), sentence)
        if _ACTING.fullmatch(head):
            acting = True
            continue  # 「学校教育課では、防犯ブザーを…1,842人に配布」: who acted, not what was counted
        # 「H30年度末の356人からR4年度末には」: a change from another figure, not the topic.
        if _informative(head) and not _COMPARISONS.search(head) and not re.search("[0-9].*(?:から|より)", head):
            return head
    return _asked(text, sentence) or _object(text, sentence, end, anywhere=acting)


def _asked(text: str, sentence: int) -> str:
    """What the question the sentence at ``sentence`` answers asked about: 「◆委員 防犯灯の球切れの通報は
    どれくらいあるか。 ◎課長 約750件」 → 防犯灯の球切れの通報."""
    if sentence < 2 or not re.match(
        r"[◎○◆●【]|[^ 　。]{1,12}(?:課長|部長|局長|事務局|市長|教育長|室長)", text[sentence:]
    ):
        return ""
    said = len(text[:sentence].rstrip("\n 　/"))  # where the question ends
    start = _sentence_start(text, max(said - 1, 0))
    question = text[start:said]
    asked = re.match(r"(?:[◎○◆●][^ ]* |【[^】]*】 ?|委員 ?)?(?P<what>[^。]{2,30}?)(?:は|について)", question)
    if not asked or not re.search("(?:か|は)[。?？]$", question):
        return ""
    return _label_before(text, start + asked.end("what"), start)


def _subject(text: str, sentence: int, end: int) -> str:
    """What the sentence is about as it first says, before ``end``: the words before its first topic marker
    (「特殊詐欺被害は…、前年より件数で9件」 → 特殊詐欺被害), where `_topic` takes the nearest."""
    marker = re.search("(?:については|では|は)", text[sentence:end])
    return _label_before(text, sentence + marker.start(), sentence) if marker else ""


def _done(sentence: str) -> tuple[str, str]:
    """What a sentence did and to what: 「講習会を開催した。」 → (講習会, 開催)."""
    object_end = sentence.rfind("を")
    if object_end <= 0:
        return "", ""
    what = _label_before(sentence, object_end, max(sentence.rfind("、", 0, object_end) + 1, 0))
    act = _ACT_RE.search(sentence, object_end + 1)
    return what, act[1] if act else ""


def _sentence_start(text: str, position: int) -> int:
    """Where the sentence (or line) holding ``position`` begins."""
    return max(text.rfind("。", 0, position), text.rfind("\n", 0, position)) + 1


def _label_elsewhere(text: str, start: int, end: int, floor: int, unit: str) -> str:
    """A label from around the quantity when the words right before it give none: the phrase before a
    colon (「・侵入窃盗の認知件数：85件」), the topic (「自転車盗については、132件」), the noun after
    the number (「47件の不審者情報を配信」), what a sentence did, for a count in parentheses after it
    (「…講習会を開催した。（3回、延べ126人）」), else what the sentence is about."""
    sentence = _sentence_start(text, start)
    before = text[floor:start].rstrip(" ")
    if before.endswith(":"):
        colon = _label_before(text, floor + len(before) - 1, floor)
        if _informative(colon) and not _COMPARISONS.search(colon):
            return colon
    after = text[end:]
    noun = _AFTER_NOUN_RE.match(after) if after.startswith("の") else None
    if noun and unit in ("人", "名") and _ACTORS_RE.match("が" + noun[1]):
        return noun[1] if noun[1].endswith("者") else f"{noun[1]}者"  # 「20～30名の参加があった」 → 参加者
    if noun:
        # 「保健センターでは、187件の健康相談に応じた」: what the number counts, named after it.
        clause_end = min([i for i in (after.find("、"), after.find("。"), len(after)) if i >= 0])
        act = _ACT_RE.search(after, noun.end(), clause_end) if after[noun.end() : noun.end() + 1] == "を" else None
        return f"{noun[1]}の{act[1]}" if act else noun[1]
    if before.endswith("、"):
        clause = before[:-1]
        for marker in _TOPIC_MARKERS:
            if clause.endswith(marker):
                return _label_before(text, floor + len(clause) - len(marker), floor)
    opening = text.rfind("(", sentence, start)
    if opening > 0 and ")" not in text[opening:start] and text[:opening].rstrip(" ").endswith("。"):
        said = text[: text[:opening].rstrip(" ").rfind("。")]
        what, did = _done(said[max(said.rfind("。"), said.rfind("\n")) + 1 :])
        if _informative(what):
            if unit in ("人", "名"):
                return f"{what}の参加者"
            if unit == "回" and did:
                return f"{what}の{did}回数"
            if unit in _PLACES and did:
                return f"{what}の{did}{unit}"
            return what
    return _topic(text, sentence, start)


def _object(text: str, sentence: int, start: int, anywhere: bool = False) -> str:
    """What the clause before ``start`` acts on: 「教室を市内小学校12校で実施」 → 教室; ``anywhere``: what
    the sentence acts on before it, when its subject is who acted (「住宅課では、…を進め、本年度は5件」)."""
    clause = sentence if anywhere else max(text.rfind("、", sentence, start) + 1, sentence)
    acted = text.rfind("を", sentence, start)
    if acted <= clause or re.search("[0-9][^ぁ-ゖ0-9]{1,4}$", text[max(acted - 6, 0) : acted]):
        return ""  # 「令和6年度は312台を貸し出し」: what it acts on is a figure
    return _label_before(text, acted, max(text.rfind("、", sentence, acted) + 1, sentence))


# Last year, right before a figure: 「前年度の1,796件」, 「(前年 71件」.
_PAST_BEFORE = re.compile(
    r"(前年度末|前年度|前年同期|前年|昨年度|昨年)(?:の|は|が|:|実績|実績は|\()? ?(?:約|延べ|のべ)?$"
)
# Where a number was done, right before it: 「老人クラブ等で23回」.
_WHERE_BEFORE = re.compile(r"[一-龥ァ-ヴー等](?=で(?:計|延べ|のべ|合計|約|年間)? ?$)")
# Who acts in a department's report, not what it counts: 道路課, 教育委員会, 本市, 当センター.
_ACTING = re.compile(
    r"[一-龥ァ-ヴー]{0,10}(?:課|係|(?<!教)室|局|委員会|事務所|本部)|(?:本|当|同|各)?(?:市|区|町|村|課|センター)"
)


def _label(text: str, match: re.Match[str], floor: int, label: str, unit: str, labels: dict[str, str]) -> str:
    """The label of a quantity, from the words before it (``label``) or around it."""
    start, end = match.start(), match.end()
    sentence = _sentence_start(text, start)
    compared = _COMPARED.search(text, sentence, start)
    if compared or _COMPARISONS.search(label) or _RECIPIENT_RE.search(text, floor, start):
        label = ""  # 前年比; 「自治会連合会へ1,639万4千円」, 「88歳の方に1人につき1万円」: to whom, not what
    aside_of = bool(text.startswith(")", end) or _COUNTS_IN_PARENTHESES.match(text, end))
    limit = re.search(
        "上限|下限|累計|最大", match["prefix"] or ""
    )  # 「(上限15万円)」: the cap of what the sentence is about
    after_noun = not _is_hiragana(text[start - 2 : start - 1] or "あ")  # 「…を開催した(12教室)」: the sentence's
    aside_of = aside_of and after_noun and not limit and unit not in ("%", "パーセント", "割", "倍", "ポイント")
    if text.endswith("(", max(floor, sentence), start) and aside_of and not _informative(label):
        # 「刑法犯全体(1,455件)の48.9%」, 「テニスコート(4面)の」: the figure of the words before the parenthesis.
        aside = _label_before(text, start - 1, max(floor, sentence))
        done_to = "を" in aside or aside.endswith(tuple(_ACTS))  # 「シールを窓口にて配布(100枚程度)」: what was done
        if _informative(aside) and aside not in _TARGETS and not done_to:
            counted = labels.get(unit, "")
            plain = _ATTRIBUTE.search(aside) or aside.endswith(("値", "目標"))
            return f"{aside}の{counted}" if counted.endswith("数") and not plain else aside
    came = _CAME_FROM.match(text, end)
    if came and came[1] in _ACTS | {"要望", "依頼", "提出"} and labels.get(unit, "").endswith("数"):
        # 「今年度14団体から応募があり」: those it came from, 市民活動補助金の応募団体数.
        who = "者数" if unit in ("人", "名") else labels[unit]
        what = _topic(text, sentence, start)
        return f"{what}の{came[1]}{who}" if _informative(what) else f"{came[1]}{who}"
    acted_on = text.rfind("を", sentence, start)
    where = _WHERE_BEFORE.search(text, max(floor, sentence), start)
    if where and not _ATTRIBUTE.search(text, 0, where.start() + 1) and not re.search("[はが]", text[acted_on:start]):
        # 「交通安全教室を…小中学校で計86回開催」: what was held, not where (unless a topic comes between);
        # 「交通安全教室は保育園・幼稚園で32回」: the topic held there.
        held_what = _object(text, sentence, start, anywhere=True)
        if acted_on < sentence:
            marker = re.search(r"(?:については|では|は)、?[^、。はが]*$", text[sentence:start])
            marker = None if text.endswith(("型", "別"), 0, where.end()) else marker  # 「市民提案型で9件」: a part
            held_what = _label_before(text, sentence + marker.start(), sentence) if marker else ""
        label = held_what if _informative(held_what) else label
    if _TARGET_AFTER.match(text, end):
        # 「交通事故死者数を0人とすることを目標とし」, 「5か年で一千台を目標に」: the target of what it counts.
        what = label if _informative(label) else _topic(text, sentence, start)
        return f"{what}の目標値" if _informative(what) and what not in _TARGETS else "目標値"
    aimed = _TARGET_BEFORE.search(text, max(floor, sentence), start)
    if aimed:
        # 「…は7.9件で、目標値(7.0件以下)」, 「目標の年40台に対し」: the topic's target.
        topic = _topic(text, sentence, aimed.start())
        if not _informative(topic) or topic in _TARGETS or re.search("[0-9]", topic):
            said = _label_before(text, aimed.end("word"), sentence)  # 「当初目標の800台」
            return said if _informative(said) and not re.search("[0-9]", said) else "目標値"
        return f"{topic}の目標値"
    achieved = _ACHIEVED.search(text, max(sentence, start - 40), start)
    if achieved and unit in ("%", "パーセント", "割"):
        # 「目標(20,000件)の92.4%」, 「目標の5,000世帯に対し84.3%」: how far the topic came.
        topic = _topic(text, sentence, achieved.start())
        return f"{topic}の目標達成率" if _informative(topic) and topic not in _TARGETS else "目標達成率"
    ratio = compared and (compared["how"] == "比" or (compared["how"] == "の" and unit == "倍"))
    if compared and compared["sign"]:
        # 「1,186人(前年度末比 +42人)」: the change of the topic, by its sign.
        topic = _topic(text, sentence, compared.start())
        if _informative(topic):
            return f"{topic}の{'増加' if compared['sign'] == '+' else '減少'}{'率' if unit == '%' else '数'}"
    if compared and ratio and not _CHANGE_RE.match(text, end):
        # 「利用者は14万2千人で、前年度比107.4%」, 「前年度の1.2倍」: the topic against the other year.
        topic = _topic(text, sentence, compared.start())
        if _informative(topic):
            return f"{topic}の{compared['when'].removeprefix('対')}比"
    clause_end = min(i for i in (text.find("、", end), text.find("。", end), len(text)) if i >= 0)
    acted = _ACTED_RE.match(text[end:clause_end])
    done = _ACT_RE.search(text, end + acted.end(), clause_end) if acted else None
    if acted and done and acted[2] != "を" and "を" in text[end + acted.end() : done.start()]:
        # 「1,642人の受講者に修了証を交付」, 「43件の申請に対し…を交付」: who or what it went to.
        return acted[1]
    if acted and done:
        # 「1,200枚の簡易間仕切りを配備」: the number counts what was acted on, 簡易間仕切りの配備;
        # 「橋梁5橋の補修を完了」: of what the words before it name, 橋梁の補修.
        return f"{label}の{acted[1]}" if _informative(label) else f"{acted[1]}の{done[1]}"
    part = _breakdown(text, sentence, start, label, unit)
    if part:
        return part
    marked = re.search(r"(?:については|に関しては)、?|は、", text[sentence:start])
    moves = _CHANGE_RE.match(text, end) or _LATER_CHANGE.match(text, end)  # then it is a change (below)
    if (
        marked
        and not moves
        and _informative(label)
        and re.search(rf"{re.escape(label)}(?:が|は|で|では) ?$", text[sentence:start])
    ):
        # 「不登校児童生徒数については、小学校が58人」: 小学校の不登校児童生徒数.
        about = _label_before(text, sentence + marked.start(), sentence)
        if about.endswith(("別", "調査", "統計", "結果", "集計", "推計")):
            # 「手口別では、還付金詐欺が14件」: a breakdown's heading names no part; 「実態調査では、空き家は
            # 4,987戸」: nor does where the figure is from.
            return label
        if _informative(about) and about != label:
            # 「農作物被害は、面積が約14.2ha」 is 農作物被害の面積: an attribute of it, not a part.
            return f"{about}の{label}" if _ATTRIBUTE.search(label) else f"{label}の{about}"
    if not _informative(label) and re.match(r"(?:に|へ)(?:増加|減少|上昇|低下)", text[end:]):
        return _topic(text, sentence, start)  # 「ひったくりは前年の6件から2件に減少」: what it now is
    past = _PAST_BEFORE.search(text, max(floor, sentence), start)
    change = _CHANGE_RE.match(text, end) or (None if past else _LATER_CHANGE.match(text, end))
    attribute = _BY_ATTRIBUTE.search(text, max(floor, sentence), start)
    if change and attribute and not _CHANGE_RE.search(label):
        # 「特殊詐欺被害は…、前年より件数で9件、被害額で約3,100万円増加」: the change of the subject's 件数.
        topic = _subject(text, sentence, attribute.start())
        label = f"{topic}の{attribute[1]}" if _informative(topic) and attribute[1] not in topic else attribute[1]
    against = _AGAINST.search(text, sentence, start)
    left = re.search("まで(?:あと|残り) ?$", text[max(floor, sentence) : start])  # 「目標の480gまであと18g」
    if against and (left or _SHORT_OF.match(text, end) or (change and change[1] in ("上回", "下回"))):
        # 「経常収支比率は…、類似団体平均を3.4ポイント下回って」: the difference from what it is set against.
        topic = _topic(text, sentence, against.start())
        return f"{topic}の{against[1]}との差" if _informative(topic) else f"{against[1]}との差"
    if change and (not _informative(label) or not _CHANGE_RE.search(label)):
        # 「前年より19件減少」, 「前年度比4.8％増」, 「単価は第3期から12円の引上げ」: how much the topic changed.
        as_rate = re.fullmatch("(?:率|割合|比率)にして", label)  # 「…認知件数は1,036件で、…率にして12.1%の増加」
        topic = label if _informative(label) and not as_rate else _topic(text, sentence, start)
        if not topic and as_rate:
            subject = _LEADING_DATE.sub("", _subject(text, sentence, start))
            alone = _is_date(subject) or re.fullmatch("(?:本|当|全)?[市町村区県国]", subject)  # 「本市では、」
            topic = subject if _informative(subject) and not alone else ""
        if topic:
            moved = _CHANGES.get(change[1], change[1])
            if labels.get(unit, "").endswith("数"):  # 「前年度を312件上回った」: an increase of a count
                moved = {"上昇": "増加", "低下": "減少"}.get(moved, moved)
            return f"{topic}の{moved}{_CHANGE_KIND.get(unit, '数')}"
    had = re.match(rf"{_AFTER_NOUN_RE.pattern}(?:が|を)", text[end:clause_end])
    if had and not _informative(label) and _ACTORS_RE.match(text, end + had.end() - 1):
        label = _topic(text, sentence, start)  # 「パトロールには、延べ412名の会員が参加」
    if had and _informative(label):
        # 「各回10～20組の親子が参加」 → 子育てサロンの参加親子; 「週3～5回の利用が多く」 → …の利用回数.
        actor = _ACTORS_RE.match(text, end + had.end() - 1)
        if actor:
            return f"{label}の{actor[1]}{had[1]}"
        if unit == "回":
            return f"{label}の{had[1]}回数"
        return f"{label}の{had[1]}"  # 「自由記述欄には延べ612件の意見が寄せられ」: 自由記述欄の意見
    sentence_end = min(i for i in (text.find("。", end), len(text)) if i >= 0)
    actors = _ACTORS_RE.search(text, end, sentence_end)
    if actors and not re.search("[ぁ-ゖ]", text[end : actors.start()].replace("のべ", "")):
        # 「1,386人が参加」 → 参加者; 「32団体、約1,500人が参加」 → 参加団体; 「市民文化祭には34団体が出演」.
        if unit in ("人", "名") and _PEOPLE_RE.search(label):
            return f"{actors[1]}{label}"  # 「児童1,034人が参加」 → 参加児童
        who = f"{actors[1]}者" if unit in ("人", "名") else f"{actors[1]}{unit}"
        return f"{label}の{who}" if _informative(label) else who
    led = _LED_TO.match(text, end, sentence_end)
    if led:
        # 「21件が解体・改善に至った」, 「うち9人が保護廃止に至った」: what the figure came to.
        return f"{led['what']}に{led['how']}{'人' if unit in ('人', '名') else _COUNT_OF.get(unit, '')}"
    did = _DID_RE.match(text, end, sentence_end)
    if did and unit in ("人", "名") and not actors:
        # 「23人が通級し」, 「うち9人が年度内に創業した」: those who did it.
        return f"{label}の{did['act']}者" if _informative(label) else f"{did['act']}者"
    placed = re.match(r"(?:で|に)([一-龥]{2,4})", text[end:])
    held = re.match(r"で(開|行|実施|開催)", text[end:])
    if unit in _PLACES and held and labels.get(unit, "").endswith("数"):
        # 「避難訓練は3地区で行い」: 避難訓練の実施地区数; 「出前講座は…など23か所で開き」: 開催箇所数.
        what = label if _informative(label) else _topic(text, sentence, start)
        if _informative(what):
            return f"{what}の{'開催' if held[1] == '開' else '実施'}{labels[unit]}"
    held_there = _HELD_THERE.match(text, end)
    if held_there and unit in _PLACES | {"小学校", "中学校", "高校", "大学"}:
        # 「全小・中学校31校で防犯教室を実施」 → 防犯教室の実施校数.
        what_there = _trim(held_there["what"])
        if _informative(what_there) and not re.search("[0-9]", what_there):
            return f"{what_there}の{held_there['act']}{labels.get(unit, '')}"
    if unit in _PLACES and placed:
        # 「教室を市内小学校12校で実施」 → 教室の実施校; 「カウンセラーを全22校に配置」 → …の配置校.
        what = _object(text, sentence, start) or _topic(text, sentence, start)
        if _informative(what):
            return f"{what}の{placed[1]}{unit}"
    given = re.match(r"に(?:対し(?:て)?、?)?([一-龥]{2,4})(?:し|する|した)", text[end:]) or (
        re.match(r"に([一-龥]{2,4})", text[end:]) if unit in ("人", "名") else None
    )
    counted = _COUNT_OF.get(unit) or (labels.get(unit, "") if labels.get(unit, "").endswith("数") else "")
    if given and counted:
        # 「計612人に支給」 → 支給人数; 「補助金は…12件に交付し」 → 補助金の交付件数.
        counted = "人数" if unit in ("人", "名") else counted
        what = label if _informative(label) else _topic(text, sentence, start)
        return f"{what}の{given[1]}{counted}" if _informative(what) else f"{given[1]}{counted}"
    if not _informative(label) and not _AFTER_NOUN_RE.match(text, end):
        # 「防犯灯電気料補助金として、自治会連合会へ1,639万4千円を交付」: the number is what it was as.
        named = text.rfind("として", sentence, start)
        if named > sentence:
            head = _label_before(text, named, sentence)
            if _informative(head):
                label = head
    verb = _VERB_RE.match(text, end)
    if _informative(label) and text[:start].endswith("を") and verb:
        # 「協議会を3回開催」: the act, 協議会の開催回数; 「チラシを作成」 below.
        return f"{label}の{verb.group()}回数" if unit == "回" else f"{label}の{verb.group()}"
    if not _informative(label):
        label = _label_elsewhere(text, start, end, floor, unit)
        if "の" in label[1:] and _ACT_RE.match(label.rsplit("の", 1)[-1]):
            return label  # 「47件の不審者情報を配信」 → 不審者情報の配信, already said
    act = _ACT_RE.match(text, end + 1) if text[end : end + 1] == "を" else None
    counted = _COUNT_OF.get(unit) or (labels.get(unit, "") if labels.get(unit, "").endswith(("数", "時間")) else "")
    if counted and not act:
        # 「講座は連続講座として6回開催し」: 講座の開催回数; 「通知を年3回、延べ2,150通送付」: 送付回数.
        act = _ACT_AFTER.match(text, end)
    if act and not _informative(label) and acted_on > sentence:
        # 「通知を年3回、延べ2,150通送付」: the second figure of the same act on the same thing;
        # 「カーブミラーを14基新設し、破損した23基を修繕」: what the sentence acts on.
        label = _label_before(text, acted_on, max(text.rfind("、", sentence, acted_on) + 1, sentence))
    if _informative(label) and act and label not in _TARGETS:
        # 「交通安全啓発チラシ三千部を作成」: チラシの作成; 「補助金1,890万円を交付」: 補助金の交付額.
        return f"{label}の{act[1]}{counted if act.start() > end + 1 or not text.startswith('を', end) else _COUNT_OF.get(unit, '')}"
    if label in _TARGETS:
        # 「目標の8g未満には達していません」: the topic's target.
        topic = _topic(text, sentence, start)
        return f"{topic}の目標値" if _informative(topic) and topic not in _TARGETS else "目標値"
    if unit == "円" and ("上限" in (match["prefix"] or "") or text.startswith("を上限", end)):
        # 「補助は1戸当たり上限百万円」; 「工事費の10%(上限20万円)を補助」: the cap of what the sentence is about.
        capped = label if _informative(label) else _topic(text, sentence, start)
        return f"{capped}の上限額" if _informative(capped) else "上限額"
    cumulative = "累計" in (match["prefix"] or "") or _CUMULATIVE_BEFORE.search(text, max(floor, start - 8), start)
    if _informative(label) and cumulative and "累計" not in label:
        return f"{label}の累計"  # 「防災士資格取得支援：23人（累計187人）」, 「養成者の累計は2万1,560人」
    return label


# A label that says its figure is last year's: 「事例（前年）」.
_LAST_YEARS = re.compile(r"（(前年度?|昨年度?)）$")
# 累計 right after another figure: 「148台、累計では」.
_SO_FAR = re.compile(r"[、,] ?(?:これまでの)?累計(?:で|では|は|が)? ?")
# 累計 said before a figure, apart from it: 「養成者の累計は」, 「累計では」.
_CUMULATIVE_BEFORE = re.compile(r"累計(?:で|では|は|が|として) ?$")


# Acts a report counts, named alone before the number: 「年間の開催は22回」 is the 開催回数.
_ACTS = frozenset(
    {
        "開催", "実施", "販売", "研修", "活動", "相談", "訪問", "派遣", "配布", "配信", "交付", "支給", "登録",
        "受講", "受診", "申請", "認定", "指導", "通報", "設置", "発行", "回収", "受付", "整備", "修繕", "点検",
        "巡回", "出動", "検挙", "発生", "来場", "差引", "貸出", "貸与", "購入", "送付", "発見", "補助", "助成",
        "利用", "参加", "応募", "来館", "入館", "視聴", "加入", "入会", "出席", "提供", "作成", "寄附", "寄付",
        "投稿", "閲覧", "養成", "貸付", "減免", "給付", "接種", "検査", "測定", "調査", "処理", "対応", "解決",
        "発令", "運行", "開館", "開設", "稼働", "従事", "運営",
    }
)  # fmt: skip
# A clause that names what it counts by what happened: 「創業に至った」 (件数), 「就労に結び付いた」 (人数).
_CLAUSE_END = re.compile(r"[にをとがで][一-龥ぁ-ゖ]{0,6}(?:った|いた|した|れた|えた|きた|ちた|りた)$")
# Who a percentage is a share of: 「平等と答えた人は27.6パーセント」 is the share of those people.
_POPULATION = re.compile(r"(?:人|者|世帯|児童|生徒)$")


# An event or a programme, and what a figure of places or bodies is of it: the places it was held at,
# the bodies that took part.
_EVENT = re.compile(
    "(?:づくり|教室|講座|講習会?|訓練|研修|パトロール|キャンペーン|コンテスト|コンクール|大会|運動|活動|点検|教育|啓発)$"
)
_HELD_AT = {unit: "実施" for unit in ("校", "か所", "箇所", "会場", "地区", "校区", "施設", "園", "館")} | {
    unit: "参加" for unit in ("団体", "社", "事業所", "事業者", "自治会", "店舗", "組織")
}


def _measured(label: str, unit: str, labels: dict[str, str]) -> str:
    """The label with what is counted of it, where the label alone names an act or a clause rather than
    a thing a table would list: 開催 → 開催回数, 創業に至った → 創業に至った件数, 答えた人 → 答えた人の割合."""
    if not _informative(label) or _ATTRIBUTE.search(label.rstrip("」』")):
        return label
    if unit in ("%", "パーセント", "割") and _POPULATION.search(label):
        return f"{label}の割合"
    if unit in ("倍", "ポイント"):
        return label
    if label.endswith(unit) and len(unit) >= 2 and labels.get(unit, "").endswith("数"):
        return f"{label}数"  # 「夏休み子ども教室を開催した(22教室…)」 → 夏休み子ども教室数
    act = label.rpartition("の")[2]
    if label.endswith("実績") and len(label) > 3 and (_COUNT_OF.get(unit) or labels.get(unit, "").endswith("数")):
        return f"{label[:-2]}{_COUNT_OF.get(unit) or labels[unit]}"  # 「交付実績:46団体、312灯」 → 交付団体数, 交付灯数
    if act in _ACTS and unit in ("人", "名"):
        return f"{label}者数"  # 「一時預かり事業の利用は延べ4,218人」 → 一時預かり事業の利用者数
    if act in _ACTS and unit in ("日", "日間", "時間", "分"):
        return f"{label}{labels[unit]}"  # 「注意報の発令は年間2日」 → 注意報の発令日数
    if act in _ACTS and labels.get(unit, "").endswith("数") and unit not in ("件", "回"):
        return f"{label}{_COUNT_OF.get(unit) or labels[unit]}"  # 「…事業の訪問は1,001世帯」 → …の訪問世帯数
    held = _HELD_AT.get(unit)
    if held and _EVENT.search(label):
        # 「地域安全マップづくりは…14校、1,032人」: where it was held, or who took part, not the event again.
        held = "参加" if re.search("(?:コンテスト|コンクール|大会)$", label) else held  # schools enter a contest
        return f"{label}の{held}{labels.get(unit) or unit + '数'}"
    if label in _ACTS or _CLAUSE_END.search(label) or (label.endswith("先") and labels.get(unit, "").endswith("数")):
        # 「訪問先は310世帯」 → 訪問先世帯数
        return f"{label}{_COUNT_OF.get(unit) or labels.get(unit, '')}"
    return label


def _condition(text: str, match: re.Match[str]) -> bool:
    """Whether a quantity with 以上, 以下, 未満 or 以内 bounds a condition in its sentence."""
    if match["suffix"] not in _THRESHOLDS and not text.startswith(_THRESHOLDS, match.end()):
        return False  # 「3日分以上」: 分, then the threshold
    within = "以内" in (match["suffix"] or "") and _WITHIN.match(text, match.end())
    if _WHO_BOUNDED.match(text, match.end()) or _BOUNDING.match(text, match.end()) or within:
        # 「所得が200万円未満の世帯については」, 「構成員5人以上で月1回以上活動する団体」, 「半径50メートル以内の
        # 通学路」: which ones, not an amount
        return True
    start = max(text.rfind("。", 0, match.start()) + 1, 0)
    stop = text.find("。", match.end())
    return bool(_CONDITION_RE.search(text, start, stop if stop >= 0 else len(text)))


# A threshold that picks out what follows: 「5人以上で」, 「1回以上活動する団体」, 「50メートル以内の通学路」.
_BOUNDING = re.compile(r"(?:(?<=[人名]以上)で(?![0-9])|での|[一-龥]{2,4}(?:する|している)(?:団体|者|方|人|世帯))")
_WITHIN = re.compile(r"の(?!うち)[^、。0-9]{1,6}(?:を|に|へ|は)")
# 「1件も寄せられておりません」, 「1人で帰宅せず」, 「1日に10件」: one as a word, not a count.
_ONE_AS_WORD = re.compile(r"も[^、。]{0,14}?(?:ません|なかった|なく|ない|ず)|に(?=[0-9一二三四五六七八九十])")
_ALONE = re.compile(r"で(?![0-9、,])")
# A kanji a word goes on with after a unit: 「二世帯住宅」.
_KANJI_WORD_AFTER = re.compile(r"[一-龥]")
# Who a threshold picks out: 「…未満の世帯」, 「…以上の方」.
_WHO_BOUNDED = re.compile(r"の(?:世帯|方|者|人|児童|生徒|高齢者|事業所|事業者|団体|車両|住宅)")


# What makes the figure before it a ratio, a speed or a density: 「3人に1人」, 「人口10万人対12.5」, 「30m/s」.
_RATIO_AFTER = re.compile(r"(?:に ?[1一](?:人|世帯|件|台|校|回)|対(?![策象応])| ?/ ?(?:s|h|km|m|秒|時|㎢)(?![a-z]))")
_RATIO_BEFORE = re.compile(r"[0-9一二三四五六七八九十]人に ?$|[0-9一二三四五六七八九十](?:世帯|件|台|校|回)に ?$")
# A minus sign right before a number: △ and ▲ as accounts write it, or a dash not inside a range or a code.
_NEGATIVE = re.compile(r"(?:[△▲]|(?<![0-9A-Za-z~〜\-])[-−]) ?$")
_DECREASE = re.compile("(?:減少|低下|縮小|削減|短縮|引下げ|悪化)(?:数|率|額|量|幅)?$")


def _storable(value: Decimal) -> bool:
    _, digits, exponent = value.as_tuple()
    decimals = max(-int(exponent), 0)
    return decimals <= MAX_DECIMAL_PLACES and len(digits) - decimals <= MAX_INTEGER_DIGITS


def _is_hiragana(char: str) -> bool:
    return "\u3041" <= char <= "\u309f"


def extract(text: str, units: dict[str, str] | None = None, fiscal_year: int | None = None) -> Extraction:
    """Find the quantities and dates in ``text``.

    ``units`` maps each unit to its fallback label (default `DEFAULT_UNITS`; a unit is matched by
    width, and reported as NFKC writes it); ``fiscal_year`` places dates written without a year (11月12日).
    """
    units = DEFAULT_UNITS if units is None else units
    folded, where = _fold(text)
    dated = _find_dates(folded, where, text, fiscal_year)
    dates = tuple(date for _, _, date in dated)
    if not units:
        return Extraction((), dates)
    labels = _folded_units(tuple(units.items()))
    quantities: list[Quantity] = []
    floor = 0  # where the words of the next label may begin: after the last quantity or date
    starts, ends = [s for s, _, _ in dated], [e for _, e, _ in dated]
    pattern = _quantity_re(tuple(labels))
    last_end = 0  # where the last quantity ended
    spans: list[tuple[int, int]] = []  # of the quantities, in the folded text
    for found in pattern.finditer(folded):
        after = bisect.bisect_right(ends, found.start())
        if after < len(starts) and starts[after] < found.end():
            continue  # a date's digits
        date_start = None  # where a date right before the number starts: 「R4末 3,210人」
        if after:
            floor = max(floor, ends[after - 1])
            if ends[after - 1] > last_end and not folded[ends[after - 1] : found.start()].strip(" :"):
                date_start = starts[after - 1]
        # Everything below reads the words around the number, never further than _CONTEXT: the work for
        # each number is bounded, and for a text linear in its length.
        offset = max(found.start() - _CONTEXT, 0)
        window = folded[offset : found.end() + _CONTEXT]
        match = pattern.match(window, found.start() - offset)
        assert match is not None  # the same words, with as much before them as the pattern looks at
        quantity = _quantity(window, match, max(floor - offset, 0), labels, where, offset)
        if quantity:
            if quantity.label == labels[match["unit"]]:
                quantity = _row_label(folded, found, quantity, last_end, date_start, quantities)
            if quantities:
                quantity = _after(folded[last_end : found.start()], quantity, quantities[-1])
            quantities.append(quantity)
            spans.append((found.start(), found.end()))
            floor = last_end = found.end()
    if "\n" in folded and len(quantities) >= 2:
        quantities = _in_columns(folded, spans, quantities)
    quantities = [
        _named_before(folded, span, q, labels, quantities[n - 1] if n else None, spans[n - 1][1] if n else 0)
        for n, (span, q) in enumerate(zip(spans, quantities, strict=True))
    ]
    quantities = [_per_basis(folded, spans, quantities, n) for n in range(len(quantities))]
    return Extraction(tuple(_dated_series(folded, spans, quantities, dated)), dates)


# What a figure right after it is counted per: 「1人当たり5万円」, 「市民1人1日当たりでは612グラム」, 「1灯当たり上限
# 4万5千円」, 「子1人につき最大100万円」, 「各10万円」; and after it: 「6,000円／人」.
_BASIS_BEFORE = re.compile(
    r"(?P<basis>(?:[一-龥ァ-ヴー]{1,8}?)?(?:[0-9]+万?|[一二三四五六七八九十百千万]+)[一-龥ァ-ヴー]{1,5}?(?:[0-9一][日月年])?"
    r"(?:当たり|あたり|につき)|(?<![一-龥ァ-ヴー])各)(?:平均|では|で|は|の)? ?(?:最大|上限|約|年額|月額|年間|年|月)? ?$"
)
_BASIS_AFTER = re.compile(
    r" ?[/／] ?(?P<per>人|件|台|灯|基|世帯|戸|回|日|月|年|か所|箇所|団体|校|kg)(?![一-龥ァ-ヴー])"
)
_RATE_UNITS = frozenset({"%", "パーセント", "割", "倍", "ポイント"})
_PER_UNIT = r"(?:(?:[0-9]+万?|[一二三四五六七八九十百千万]+)[一-龥ァ-ヴー]{1,5}?){1,2}(?:当たり|あたり|につき)"
_SAYS_BASIS = re.compile("当たり|あたり|につき|(?<![0-9])1人|各|平均|単価")


def _per_basis(folded: str, spans: list[tuple[int, int]], quantities: list[Quantity], n: int) -> Quantity:
    """A figure counted per person, per unit or each, named so: 「出産祝い金は…1人当たり5万円を支給」 is
    出産祝い金の支給額（1人当たり）, never the total it would otherwise read as; one whose words name only
    what it is per (「(人口1人当たり10円)」, 「市民1人1日当たりでは612グラム」) is named by the figure it
    follows in parentheses, or by what its sentence is about."""
    quantity = quantities[n]
    start, end = spans[n]
    floor = max(spans[n - 1][1] if n else 0, start - _CONTEXT)
    before = _BASIS_BEFORE.search(folded, floor, start)
    after = _BASIS_AFTER.match(folded, end)
    if before:
        basis = before["basis"]
    elif after:
        basis = f"1{after['per']}当たり"
    else:
        return quantity
    label = quantity.label
    if before and (label in basis or re.search(re.escape(label) + _PER_UNIT, folded[floor : before.end()])):
        # The words before the figure name only what it is per (「(人口1人当たり10円)」, 「18歳未満の子1人につき」):
        # it is of the figure it explains in parentheses, or of what its sentence or the last figure is about.
        basis = folded[folded.rfind(label, floor, before.end()) : before.end()] if label not in basis else basis
        opened = folded[floor : before.start()]
        sentence = _sentence_start(folded, start)
        topic = _trim(_topic(folded, sentence, before.start()))
        if n and re.fullmatch(r" ?\( ?", opened) and re.match(r" ?\)", folded[end:]):
            label = quantities[n - 1].label
        elif _informative(topic) and topic not in basis and not _is_date(topic):
            label = topic
        elif n and not folded[sentence : before.start()].strip(" ") and spans[n - 1][0] < sentence:
            # 「…3万2,810トンになりました。市民1人1日当たりでは612グラム」: of the last sentence's figure in
            # a like unit (a rate is not of an amount).
            last = _sentence_start(folded, sentence - 1) if sentence else 0
            rate = quantity.unit in _RATE_UNITS
            like = (q for q, (at, _) in zip(quantities[n - 1 :: -1], spans[n - 1 :: -1], strict=True) if at >= last)
            label = next((q.label for q in like if (q.unit in _RATE_UNITS) == rate), "")
        else:
            label = ""
        label = label or _named_first(folded, start)  # 「犯罪率（人口）　人口千人当たり 4.8件」
        if not label or label in basis:
            return quantity
    elif _SAYS_BASIS.search(label):
        return quantity
    elif n and re.fullmatch(r" ?\( ?", folded[floor : before.start() if before else start]):
        # 「交付額 2,400千円（1団体当たり4万円）」: the figure it explains, per what.
        label = quantities[n - 1].label if quantities[n - 1].label.endswith(label) else label
    # What the label already says of the basis goes: 「自殺死亡率（人口）」, 「奨励金は1キログラム」, 「…経費の市民」.
    core = re.sub("(?:当たり|あたり|につき)$", "", basis)
    said = re.search(r"（([^（）]+)）$", label)
    owner, _, last_word = label.rpartition("の")
    if said and said[1] in basis:
        label = label[: said.start()]
    elif label.endswith(core) and _informative(_trim(label.removesuffix(core))):
        label = _trim(label.removesuffix(core))
    elif owner and basis.startswith(last_word):
        label = owner
    return replace(quantity, label=f"{label}（{basis}）")


# What may stand between a date and the figure it dates: 「令和3年度末が3,210人」, 「R3 1,204人」, 「平成30年の1,512件」.
_DATING = re.compile(r"(?P<part>末|当初|現在|時点)? ?(?:が|は|:|の|には|では|で)? ?")
_SERIES_REACH = 12  # how many figures after one a series of the same measure is looked for in


def _dated_series(
    folded: str, spans: list[tuple[int, int]], quantities: list[Quantity], dated: list[tuple[int, int, DateMention]]
) -> list[Quantity]:
    """The figures of a series, each dated and named alike in one line or sentence, named with their date
    but the last (「令和3年度末が3,210人、令和4年度末が3,588人」: …の登録者数（令和3年度末）, …の登録者数);
    a series' name is not any one figure's (「受講者数の推移 R3 1,204人」: 受講者数)."""
    ends = [end for _, end, _ in dated]
    when: list[str] = []
    for start, _ in spans:
        before = bisect.bisect_right(ends, start) - 1
        close = _DATING.fullmatch(folded, dated[before][1], start) if before >= 0 else None
        when.append(folded[dated[before][0] : dated[before][1]] + (close["part"] or "") if close else "")
    named = [replace(q, label=q.label.removesuffix("の推移")) if q.label.endswith("の推移") else q for q in quantities]
    for n, quantity in enumerate(named):
        if not when[n] or quantity.label.endswith(")"):
            continue
        for later in range(n + 1, min(n + 1 + _SERIES_REACH, len(named))):
            between = folded[spans[n][1] : spans[later][0]]
            if "\n" in between or "。" in between:
                break
            same = named[later].label == quantity.label and named[later].unit == quantity.unit
            if same and when[later]:
                named[n] = replace(quantity, label=f"{quantity.label}（{when[n]}）")
                break
    return named


# What a figure's unit alone would call it: 人数, 件数, 金額, 割合, 面積.
_BARE_MEASURES = frozenset({"人数", "件数", "金額", "額", "割合", "率", "面積", "回数", "日数", "時間"})
# The word a measure of each kind of unit ends with: …者数, …受診率, …事業費, …経営耕地面積.
_MEASURE_ENDS = {"%": "率|割合", "パーセント": "率|割合", "割": "率|割合", "円": "額|費|料"} | {
    unit: "面積" for unit in ("ha", "a", "m2", "km2", "㎡", "平方メートル", "ヘクタール")
}


# A figure named by its kind alone, and what it is of the indicator: 目標 → …の目標値, 実績 → the indicator.
_KIND_ALONE = {
    "目標": "の目標値",
    "目標値": "の目標値",
    "計画値": "の計画値",
    "基準値": "の基準値",
    "当初値": "の基準値",
}
_KIND_ALONE |= {"実績": "", "実績値": "", "現状": "", "現状値": "", "上限額": "の上限額"}


def _named_first(folded: str, start: int) -> str:
    """What the line or sentence holding ``start`` names first: the words its line starts with (「防犯灯設置
    補助金 1灯当たり上限3万円」, 「住宅防犯対策補助金(上限5万円)を」), else the sentence's subject (「3歳児健康診査
    の受診率は96.2%で、目標値(97%)を」)."""
    line = max(folded.rfind("\n", 0, start) + 1, start - _CONTEXT)
    words = re.sub(r"^(?:目標|成果|活動)?指標名?[ :]*", "", _ROW_HEADING.sub("", folded[line:start]).lstrip(" "))
    first = re.match(r"[^\s(:、。0-9]{2,40}?(?=[\s(:、]|は|を|$)", words)
    name = re.sub(rf"の?(?:{_KINDS})$", "", first[0]) if first else ""  # 「…の目標値は…、実績は」
    # A noun, not a clause (「…防止のため」, 「…に限り」) nor who acted (「道路課では」).
    if _informative(name) and not _is_date(name) and re.search("[一-龥ァ-ヴー」)]$", name) and not name.endswith("で"):
        return _trim(name)
    sentence = _sentence_start(folded, start)
    subject = _subject(folded, sentence, start)
    return (
        subject if _informative(subject) and not re.search("[0-9]", subject) and not _ACTING.fullmatch(subject) else ""
    )


def _named_before(
    folded: str,
    span: tuple[int, int],
    quantity: Quantity,
    labels: dict[str, str],
    before: Quantity | None,
    before_end: int,
) -> Quantity:
    """A figure its unit alone would name (人数), named by the measure its line or the line above names
    first: 「保育所等入所児童数(4月1日現在) 2,846人」, 「…メールの登録者数の推移を…。\n○課長 令和3年度末が3,210人」;
    one named by its kind alone (目標, 実績, 上限額), by what its line or sentence names first, and a target
    in parentheses right after a figure as that figure's (「受診率 37.5%(目標 60.0%)」)."""
    start = span[0]
    if quantity.label in _KIND_ALONE:
        aside = folded[before_end:start]
        if (
            before
            and quantity.label in _TARGETS
            and re.fullmatch(r"(?:を[一-龥]{2,4}し(?:た|ている)?)? ?\( ?目標値? ?:? ?", aside)
        ):
            return replace(quantity, label=before.label + _KIND_ALONE[quantity.label])
        name = _named_first(folded, start)
        return replace(quantity, label=name + _KIND_ALONE[quantity.label]) if name else quantity
    if quantity.label not in _BARE_MEASURES and quantity.label != labels.get(quantity.unit):
        return quantity
    line = folded.rfind("\n", 0, start)
    lower = max(folded.rfind("\n", 0, line) + 1 if line >= 0 else 0, start - _CONTEXT)  # bounded: linear
    ends = _MEASURE_ENDS.get(quantity.unit, "数")
    for measure in re.finditer(rf"(?<=[一-龥ァ-ヴー」])(?:{ends})(?=[\s(:、はがの]|$)", folded[lower:start]):
        named = _label_before(folded, lower + measure.end(), lower)
        if (
            _informative(named)
            and named not in _BARE_MEASURES
            and named != labels.get(quantity.unit)
            and not re.search("[0-9]", named)
            and (ends != "数" or _counts(named, quantity.unit, labels))
        ):
            return replace(quantity, label=named)
    return quantity


def _counts(measure: str, unit: str, labels: dict[str, str]) -> bool:
    """Whether ``measure`` (…数) counts in ``unit``: 認知件数 in 件, 登録者数 in 人, 世帯数 in 世帯."""
    if unit in ("人", "名"):
        return bool(re.search("(?:者|員|客|児童|生徒|人|児)数$", measure))
    return measure.endswith(labels.get(unit) or f"{unit}数")


# A column heading that names the figure of the year reported, and those that name another figure of it.
_RESULT_HEADING = re.compile("(?:実績|現状|今年度|本年度)値?")
_OTHER_FIGURE_HEADING = re.compile("(?:基準|目標|計画|見込|予算|決算|前年度?)(?:値|額)?")
_YEAR_HEADING = re.compile(rf"(?:{_ERA}|[RH])(?:元|[0-9]{{1,2}})(?:年度?)?|[0-9]{{4}}年度?")


def _in_columns(folded: str, spans: list[tuple[int, int]], quantities: list[Quantity]) -> list[Quantity]:
    """The figures of a table written as lines, named by their row and their column: under 「区分 令和4年
    令和5年」, 「侵入窃盗 85件 72件」 is 侵入窃盗（令和4年） and 侵入窃盗; under 「指標名 基準値(H30) 実績値(R5)
    目標値(R7)」 a row's figures are its 基準値, itself and its 目標値; under 「区分 実施回数 参加延べ人数」,
    徒歩パトロールの実施回数 and 徒歩パトロールの参加延べ人数."""
    named = list(quantities)
    starts = [start for start, _ in spans]
    line_start = 0
    heading: list[str] = []
    for line in folded.split("\n"):
        line_end = line_start + len(line)
        on_line = list(range(bisect.bisect_left(starts, line_start), bisect.bisect_left(starts, line_end)))
        if not on_line:
            heading = line.split()  # the nearest line without figures above the rows heads their columns
        elif len(on_line) >= 2 and heading:
            cells = [folded[spans[i][1] : spans[j][0]] for i, j in itertools.pairwise(on_line)]
            name = _trim(folded[line_start : spans[on_line[0]][0]].strip(" ・"))
            tail = folded[spans[on_line[-1]][1] : line_end]
            columns = heading[-len(on_line) :]
            if (
                all(not cell.strip() for cell in cells)
                and not tail.strip()
                and _informative(name)
                and not re.search("[0-9]", name)
                and len(heading) in (len(on_line), len(on_line) + 1)
            ):
                headings = [re.sub(r"\(.*\)$", "", column) for column in columns]  # 「基準値(H30)」 is 基準値
                years = [said for said in headings if _YEAR_HEADING.fullmatch(said)]
                for i, said in zip(on_line, headings, strict=True):
                    if _RESULT_HEADING.fullmatch(said) or (years and said == years[-1]):
                        label = name
                    elif said in years:
                        label = f"{name}（{said}）"
                    elif _OTHER_FIGURE_HEADING.fullmatch(said) or _ATTRIBUTE.search(said):
                        label = f"{name}の{said}"
                    else:
                        label = f"{name}（{said}）"
                    named[i] = replace(named[i], label=label)
        line_start = line_end + 1
    return named


# Harm a count's amount is the damage of: 「オレオレ詐欺が9件(1,530万円)」 is オレオレ詐欺の被害額.
_HARM = re.compile("詐欺|被害|盗|(?<!防)犯|事故|火災")


def _after(between: str, quantity: Quantity, before: Quantity) -> Quantity:
    """``quantity`` named by the figure ``before`` it, with ``between`` the words between them: a sum right
    after a count of the same thing, in parentheses or the next cell of its row, is what they came to
    (「オレオレ詐欺が9件(1,530万円)」, 「預貯金詐欺　8件　690万円」 → …の被害額); a ratio after last year's figure
    is this year's against it (「19件(前年7件)で、約2.7倍」 → …の前年比); 累計 after a figure is that figure
    since it began (「貸与台数は148台、累計では612台」 → 貸与台数の累計)."""
    if (
        quantity.unit == "円"
        and before.unit != "円"
        and quantity.label == before.label
        and between.strip() in ("", "(")
    ):
        return replace(quantity, label=f"{before.label}の{'被害額' if _HARM.search(before.label) else '金額'}")
    past = _LAST_YEARS.search(before.label)
    if past and quantity.unit == "倍" and "。" not in between:
        return replace(quantity, label=f"{before.label[: past.start()]}の{past[1]}比")
    if quantity.unit == before.unit and _SO_FAR.fullmatch(between):
        return replace(quantity, label=f"{before.label}の累計")
    return quantity


def _row_label(
    folded: str, found: re.Match[str], quantity: Quantity, last_end: int, dated: int | None, before: list[Quantity]
) -> Quantity:
    """A label for a figure its own words leave unnamed, from the row it stands in: the indicator before
    the date it is for (「フォロワー数 R4末 3,210人」), the figure before an arrow (「→ R5末 5,874人」), the
    change in parentheses after it (「(+2,664人)」, 「(前年度比2.5ポイント減)」), last year's figure beside it
    (「(前年度 236人)」)."""
    start = found.start()
    line = max(folded.rfind("\n", 0, start) + 1, start - _CONTEXT)
    if dated is not None:
        named = _label_before(folded, dated, max(last_end, line))
        if _informative(named):
            return replace(quantity, label=named)
        if not folded[line:dated].strip(" "):
            # 「・研修会参加者数\n 令和5年度:57人\n 令和6年度:83人」: the heading above, or the row above's.
            above = folded.rfind("\n", 0, max(line - 1, 0)) + 1
            if before and above <= last_end < line:
                return replace(quantity, label=before[-1].label)
            heading = _heading(folded, line)
            if heading:
                return replace(quantity, label=heading)
    if not before or last_end < line:
        return quantity
    opening = folded.rfind("(", line, start)
    past = _PAST_IN_PARENTHESES.match(folded, opening) if opening >= 0 and ")" not in folded[opening:start] else None
    if past:
        # 「38回開催し、受講者は1,026人であった(前年度:31回、804人)」: last year's figure of each, by unit.
        same = [q for q in before if q.unit == quantity.unit and "（" not in q.label]
        if same:
            return replace(quantity, label=f"{same[-1].label}（{past[1]}）")
    mark = folded[last_end : dated if dated is not None else start].strip(" ")
    if "累計" in quantity.qualifier and mark.endswith("("):
        return replace(quantity, label=f"{before[-1].label}の累計")  # 「361人が受講した(累計2,016人)」
    if mark.strip("、 ") in ("", "延べ", "のべ") and before[-1].unit == "回" and quantity.unit in ("人", "名"):
        # 「出前講座 34回 1,102人」, 「防犯講話 12回 延べ480人」: those who came to the events counted.
        return replace(quantity, label=f"{re.sub('の?(?:開催|実施)?回数$', '', before[-1].label)}の参加者")
    measured = _MEASURED_AS.fullmatch(mark)
    if measured:
        # 「空き家は4,987戸、割合にして5.8%」, 「食品は1,240点、重量にして約620kg」: that figure's other measure.
        what = {"率": "割合"}.get(measured[1], measured[1])
        return replace(quantity, label=f"{before[-1].label}の{what}")
    if mark in ("→", "->", "⇒", "", "のうち", "中"):  # 「→ R5末 5,874人」, 「9人のうち7人」
        return replace(quantity, label=before[-1].label)
    moved_after = _CHANGE_RE.match(folded, found.end())
    if mark == "(" and moved_after:  # 「152件→171件(19件増)」: the change of the row
        moved = _CHANGES.get(moved_after[1], moved_after[1])
        return replace(quantity, label=f"{before[-1].label}の{moved}{_CHANGE_KIND.get(quantity.unit, '数')}")
    signed = re.fullmatch(r"\((?:[^()0-9]{0,8}比)? ?([+△▲-])", mark)  # 「(+2,664人)」, 「(前年度末比 +42人)」
    if signed:
        moved = "増加" if signed[1] == "+" else "減少"
        label = f"{before[-1].label}の{moved}{_CHANGE_KIND.get(quantity.unit, '数')}"
        return replace(quantity, label=label, value=abs(quantity.value))  # its label says it went down
    if re.fullmatch(r"\((?:前年度?|前年同期|前回|同)比?", mark) or re.search(
        r"[^0-9]\((?:前年度?|前年同期|前回)比 ?$", mark
    ):
        change = _CHANGE_RE.match(folded, found.end())
        if change:  # 「65.5%(前年度比2.5ポイント減)」, 「175人(同5人減)」
            moved = _CHANGES.get(change[1], change[1])
            return replace(quantity, label=f"{before[-1].label}の{moved}{_CHANGE_KIND.get(quantity.unit, '数')}")
        past = re.match(r"\((前年度?)$", mark)
        if past:  # 「240人(前年度 236人)」: the same indicator, last year's
            return replace(quantity, label=f"{before[-1].label}（{past[1]}）")
        return replace(quantity, label=before[-1].label)  # 「175人(同 170人)」
    return quantity


_SHARE = re.compile(r"\)?を占め")
# What a count adds to what it counts: 相談件数 is 相談 counted, 登録者数 登録者 counted.
_COUNT_SUFFIX = re.compile(r"(?<=者)数$|(?:件数|人数|数)$")
# A label that is a clause without its noun (「計画に掲げる」), and units that are the noun it lacks.
_CLAUSE_ONLY = re.compile(
    r"(?:[一-龥]|[^ぁ-ゖ][ぁ-ゖ])(?:げる|ける|める|れる|する|いる|ある|えた|した|った|いた|んだ|る)$"
)
_NOUN_UNITS = frozenset({"校", "園", "駅", "橋", "館", "社", "局", "課", "店"})
# A change before a total: 「利用定員を190人拡大し、計5,840人」.
_CHANGED_BEFORE = re.compile(
    r"を[0-9][0-9,.万千]* ?[^\s、。0-9]{1,4}(?:拡大|増加|増設|増員|追加|減少|削減)[^、。]{0,4}、[^、。]{0,6}$"
)
# Words before a denominator that are the topic it divides: 「防犯メールの配信は1日平均0.4件」.
_TOPIC_THEN = re.compile("(?:は|では|が)$")
# A denominator in a heading: 「1人1日当たり」.
_PER_DENOMINATOR = re.compile(r"(?:[0-9一]+[^0-9]{1,3}?)+(?:当たり|あたり)")
# The whole after its parts: 「、合計で458台」.
_TOTAL_BEFORE = re.compile(r"(?:合計|総計|計|全体|総数|合わせて|合わせますと)(?:で|は|が)? ?$")
# A digit and the unit after it (counted with str.startswith: a pattern a unit would cost a compile each).
_DIGIT_THEN = re.compile("[0-9] ?")
# The cell before an attribute on a row: 「各種がん検診委託料 決算額」.
_CELL_BEFORE = re.compile(r"([^\s、。:|]{2,30}) +$")
# An attribute that names no item: 決算額, 予算額, 件数.
_ATTRIBUTE_ALONE = re.compile(r"[一-龥]{0,4}(?:額|件数|人数|回数|者数|数|率|量)")
# Last year's figures in parentheses after this year's: 「(前年度:31回、804人)」.
_PAST_IN_PARENTHESES = re.compile(r"\((前年度|前年|昨年度|昨年)(?: ?[:は]| )")
# Another measure of the figure before: 「、割合にして5.8%」, 「、重量にして約620kg」.
_MEASURED_AS = re.compile(r"、 ?(?!計)([一-龥]{1,4})に(?:して|いたしまして|しますと|すると) ?(?:約)?$")


# A count and an opening parenthesis right before a percentage: 「心理的虐待212件(」.
_COUNT_BEFORE = re.compile(
    r"(?P<what>[^\s、。,()0-9は]{0,12}?) ?[0-9][0-9,.万千億]*[^0-9()、。\s]{1,4}\( ?(?P<vs>目標比|計画比)? ?$"
)


# Those a share is of, named after it: 「…が無施錠だった」, 「…は鍵をかけていない自転車でした」.
_SHARE_NAMED_AFTER = re.compile(
    r"(?:以上)?(?:は|が) ?(?P<what>[^、。はが「」]{2,20}?)(?:でした|であった|だった|です(?!が)|である|でございます|となっている)"
)


def _share(text: str, match: re.Match[str], label: str) -> str:
    """A percentage that is a share: of what the sentence is about when it 「を占め」 (「コンビニ交付は
    38,240件で、全体の31.5%を占めた」 → コンビニ交付の割合), of the count it follows in parentheses
    (「還付金詐欺が14件(36.8%)」 → 還付金詐欺の割合)."""
    start = match.start()
    named = _SHARE_NAMED_AFTER.match(text, match.end())
    if named and not _SHARE.match(text, match.end()):
        # 「そのうち約6割は鍵をかけていない自転車でした」, 「被害の約7割が無施錠だった」: those the share is of,
        # named after it.
        what = _unbound(_trim(named["what"]))
        if _informative(what) and not re.search("[0-9]", what):
            return f"{what}の割合"
    if _SHARE.match(text, match.end()):
        subject = _topic(text, _sentence_start(text, start), start)
        subject = _COUNT_SUFFIX.sub("", subject)
        return f"{subject}の割合" if _informative(subject) else label
    counted = _COUNT_BEFORE.search(text, max(start - 40, 0), start)
    if counted:
        # 「内訳は心理的虐待212件(54.9%)」: the share of what the count before it counts.
        what = _trim(counted["what"])
        if _informative(what) and counted["vs"]:
            return f"{what}の{counted['vs']}"  # 「採血者 1,318人(目標比 94.1%)」
        if _informative(what) and not _ATTRIBUTE.search(what):
            return f"{what}の割合"
        if _informative(label):
            return label if _ATTRIBUTE.search(label.rstrip("」』")) else f"{label}の割合"
    return label


def _referent(text: str, start: int) -> str:
    """What 「もの」 before ``start`` stands for: the whole a 「…のうち」 names, else what the sentence
    was about before the clause holding it; 「もの」 itself when neither is found."""
    sentence = _sentence_start(text, start)
    clause = max(text.rfind("、", sentence, start), sentence)
    whole = text.rfind("のうち", sentence, start)
    if whole > sentence and text[whole - 1] not in "こそ":  # このうち, そのうち: what the sentence was about
        noun = _label_before(text, whole, sentence)
    else:
        noun = _topic(text, sentence, clause)
        while noun.endswith("もの") and clause > sentence:  # 「市が設置したものが312台、…したものが428台」
            clause = max(text.rfind("、", sentence, clause), sentence)
            noun = _topic(text, sentence, clause)
    if "の" in noun and _ATTRIBUTE.search(noun):
        whose, what = noun.rsplit("の", 1)
        done = _ATTRIBUTE.sub("", what)
        # 「防犯カメラの設置台数」 counts 防犯カメラ; 「…窓口での相談件数」, 相談 (where they were had)
        noun = done if whose.endswith(("で", "へ", "から")) and _informative(done) else whose
    counted = re.search(r"[0-9一二三四五六七八九十][0-9一二三四五六七八九十百千万,.]*([^0-9]{1,6})$", noun)
    if counted:
        noun = counted[1]  # 「推進計画に掲げる31事業のうち」: 事業
    relative = _CLAUSE_BEFORE_NOUN.search(noun)
    noun = noun[relative.end() :] if relative else noun  # 「市が設置・管理しております防犯カメラ」: 防犯カメラ
    good = _informative(noun) and not _ATTRIBUTE.search(noun) and not noun.endswith("もの")
    return noun if good else "もの"


def _heading(text: str, line: int) -> str:
    """The line above ``line`` when it names what the lines under it count: 「・防犯リーダー研修会参加者数」."""
    if line < 2:
        return ""
    above = text[max(text.rfind("\n", 0, line - 1) + 1, line - _CONTEXT) : line - 1].strip(" ・●○■◆")
    if not above or len(above) > 40 or re.search("[0-9。]", _PER_DENOMINATOR.sub("", above)):
        return ""  # (a denominator is no figure: 「■1人1日当たりのごみ排出量」)
    named = _label_before(above, len(above), 0)
    return named if _informative(named) else ""


def _quantity(
    folded: str, match: re.Match[str], floor: int, labels: dict[str, str], where: list[int], offset: int
) -> Quantity | None:
    """The quantity ``match`` reads in the words around it (``folded``, a window of the folded text
    starting at ``offset``), or None when it is not an amount."""
    unit = match["unit"]
    if match["unit1"] and match["unit1"] != unit:
        return None  # 「3人～5台」 is no range
    after = match.end()
    if (
        _NOT_AFTER.match(folded, after)
        or _NEGATED.match(folded, after)
        or (folded[after : after + 1].isdigit() and match["number"] == "1")
        or (match["number"] in ("1", "一") and not match["number2"] and _ONE_AS_WORD.match(folded, after))
        or (match["number"] in ("1", "一") and unit in ("人", "名") and _ALONE.match(folded, after))
    ):
        # 3回目, 1人暮らし, 1件もなかった, 1本500円, 1件も寄せられておりません, 1人で帰宅, 1日に10件: not amounts
        return None
    if len(match["number"]) == 1 and match["number"] in _KANJI_DIGITS and _KANJI_WORD_AFTER.match(folded, after):
        return None  # 「二世帯住宅」: a digit written in kanji alone counts only when its word ends there
    if folded.endswith(_NOT_AMOUNT_BEFORE, 0, match.start()) or _PAIRED.search(folded, max(after - 4, 0), after):
        return None  # 生後4か月, 満65歳, 口径150mm, 2人1組
    if _condition(folded, match):
        return None  # 「200万円未満の世帯を対象に」
    if folded[match.start("number") - 1 : match.start("number")] in ("数", "何") and match["number"][0] in _MARKS:
        return None  # 「数百万円」, 「何千万円」: how large, not how much
    if unit == "分" and re.match(f"の[0-9{_KANJI_DIGITS}]", folded[after : after + 2]):
        return None  # 「補助率は3分の2」: a fraction, not minutes
    if _RATIO_AFTER.match(folded, after) or (
        match["number"] in ("1", "一") and _RATIO_BEFORE.search(folded, 0, match.start())
    ):
        return None  # 「3人に1人」, 「人口10万人対」, 「40km/h」, 「1,234人/km2」: a ratio, a speed, a density
    low = _low_end(match["number"], match["number2"]) if match["number2"] else match["number"]
    value = _value(low)
    value_max = _value(match["number2"]) if match["number2"] else None
    if value is None or not _storable(value) or (value_max is not None and not _storable(value_max)):
        return None
    if match["minutes"] and not value_max:
        value, unit = value * 60 + int(match["minutes"]), "分"  # 「1時間30分」: 90分
    elif match["half"] and not value_max:
        value += Decimal("0.5")  # 「1時間半」
    elif match["bu"] and not value_max:
        value += Decimal(match["bu"]) / 10  # 「2割5分」: 2.5割
    qualifiers = [q.strip() for q in (match["prefix"], match["suffix"]) if q]
    qualifier = " ".join(qualifiers)
    negative = _NEGATIVE.search(folded, max(match.start() - 2, 0), match.start())
    label = _label_before(folded, negative.start() if negative else match.start(), floor, counted=True)
    period = _PERIOD_RE.search(folded, max(floor, match.start() - 3), match.start())
    if period and not qualifier:
        # 週1回, 月に1回: a rate, not a count of the preceding words.
        qualifier = period["period"].removeprefix("毎").removesuffix("間")
        label = _label_before(folded, period.start(), floor)
    words = label  # the words before the number
    each = re.search(r"(?:^|の)(各[一-龥ァ-ヴー]{1,4})$", label)
    label = _measured(_label(folded, match, floor, "" if each else label, unit, labels), unit, labels)
    if each and _informative(label):
        # 「生活ガイドを…各言語二千部、計六千部作成」: 生活ガイドの各言語の作成部数.
        whose, _, what = label.rpartition("の")
        label = f"{whose}の{each[1]}の{what}" if whose else f"{each[1]}の{what}"
    # 「1日平均23.9件」: 平均 is read as the figure's qualifier, so the denominator ends before the number.
    per = _PER_LABEL.search(folded, floor, match.start()) or _PER_LABEL.search(folded, floor, match.start("number"))
    capped = "上限" in qualifier or folded.startswith("を上限", match.end())
    named_after = folded.startswith("の", match.end())  # 「1人当たり最大150万円の準備資金」
    if (
        per
        and not capped
        and not named_after
        and (not _informative(words) or per["per"] in words or words in per["per"] or _TOPIC_THEN.search(words))
    ):
        # 「地方債現在高は302億円で、市民一人当たりでは約38万円」: 市民一人当たりの地方債現在高;
        # 「救急出動は1日平均17.0件」: 1日平均救急出動件数; 「利用者は…、1日当たり平均523人」.
        topic = label if _ATTRIBUTE.search(label) and "当たり" not in label else ""
        topic = topic or _trim(_topic(folded, _sentence_start(folded, per.start()), per.start()))
        owner, _, head = topic.rpartition("の") if len(topic.rpartition("の")[2]) >= 2 else ("", "", topic)
        if _informative(head) and not _ATTRIBUTE.search(head) and not re.search("(?:高|費|料)$", head):
            head += "数" if unit in ("人", "名") and head.endswith(("者", "員")) else _COUNT_OF.get(unit, "")
        if _informative(head) and re.search("(?:数|額|高|費|料|量|率|積|時間)$", head):
            per_what = per["per"] + ("平均" if "平均" in qualifier and "平均" not in per["per"] else "")
            label = f"{owner}の{per_what}の{head}" if owner else f"{per_what}の{head}"
    sentence = _sentence_start(folded, match.start())
    total = _TOTAL_BEFORE.search(folded, floor, match.start()) or {"合計", "合計で", "総計", "計", "全体で"} & set(
        (match["prefix"] or "").split()
    )
    said = folded[sentence : match.start()] if total else ""
    parts = sum(said.startswith(unit, digit.end()) for digit in _DIGIT_THEN.finditer(said))  # only for a total
    if total and re.search("もの[がは]", folded[sentence : match.start()]):
        whole = _referent(folded, match.start())  # 「…ものが44台、合計で458台」: all of them, 防犯カメラ
        label = whole if whole != "もの" else label
    elif total and parts >= 2:
        # 「登録車両は、市が3台、地域団体が68台、合わせて71台」: what the sentence is about, whole.
        whole = _subject(folded, sentence, match.start())
        label = whole if _informative(whole) and whole not in label else label
    elif total and parts == 1 and _CHANGED_BEFORE.search(folded, sentence, match.start()):
        # 「保育所等の利用定員を190人拡大し、計5,840人」: what changed, as it now is.
        changed = _object(folded, sentence, match.start(), anywhere=True)
        label = changed if _informative(changed) else label
    elif label in ("対象", "対象者") and labels[unit].endswith("数"):
        # 「対象1,024世帯のうち」: those the sentence's subject is for.
        whose = _topic(folded, sentence, match.start())
        label = f"{whose}の対象{'者数' if unit in ('人', '名') else labels[unit]}" if _informative(whose) else label
    elif label.endswith("もの") and len(label) > 2:
        # 「防犯灯は約1万200灯で、このうち市が管理するものは3,850灯」: 市が管理する防犯灯.
        label = label[:-2] + _referent(folded, match.start())
    kind = _VALUE_KIND.search(folded, max(floor - 24, 0), match.start())
    if kind or label in ("指標名", "指標"):
        # 「特定健康診査受診率 目標値 60.0% 実績値 43.8%」, 「指標名:防犯パトロール参加者数 / 基準値(R1):3,210人」:
        # that indicator's value, its result named as the indicator itself.
        name = _row_indicator(folded, match.start())
        if not name and kind and folded.endswith(("、", "対し"), sentence, kind.start(1)):
            # 「新規雇用者は5か年で延べ640人を目標としていたが、実績は512人」: what the sentence is about.
            name = _trim(_topic(folded, sentence, kind.start(1)))
            name = name if _informative(name) and re.fullmatch("[^0-9、]*[一-龥ァ-ヴー]", name) else ""
        if name:
            said = kind[1] if kind else "実績"
            label = name if said in ("実績", "実績値", "現状値", "現状") else f"{name}の{said.removesuffix('値')}値"
    fresh = _FRESH.search(folded, max(floor, match.start() - 16), match.start())
    if fresh and _informative(label) and "新規" not in label:
        # 「新たに5事業者と締結し、計78事業者」: the new ones, 高齢者見守りネットワーク協定の新規締結.
        whose, _, act = label.rpartition("の")
        done = _DONE_AFTER.match(folded, match.end())
        if done and done[1] == "が":
            pass  # 「新たに4社が進出」: what they did names them, not a new one of the topic's
        elif whose and (act[:2] in _ACTS or (done and act.startswith(done[2]))):
            label = f"{whose}の新規{act}"  # 緊急通報装置の新規設置台数
        elif done:
            label = f"{label}の新規{done[2]}"
    if unit in ("%", "パーセント", "割") and not _CHANGE_RE.match(folded, match.end()):
        label = _share(folded, match, label)
        named = re.sub(r"[(（][^()（）]*[)）]$", "", label)  # 「受講率（小学校）」 names its measure
        of_whole = re.fullmatch(r"(?P<whole>[^、。]{2,12}に占める)割合", label)
        if of_whole:
            # 「外国人住民数は6,842人、総人口に占める割合は2.9%」: the share of what the sentence counts.
            counted = _COUNT_SUFFIX.sub("", _subject(folded, sentence, match.start()))
            if _informative(counted) and counted not in label:
                label = f"{of_whole['whole']}{counted}の割合"
        elif (
            label.rpartition("の")[2] in _ACTS
            and folded.startswith("を", match.end())
            and not _SHARE.match(folded, match.end())
        ):
            label = f"{label}率"  # 「電気料金の50%を補助」: 電気料金の補助率
        elif _informative(label) and not re.search(r"(?:率|割合|比|シェア|度|水準|目標|値)[」』]?$", named):
            label = f"{label}の割合"  # 「そのうち無施錠によるものが57%」: a share of those
    done = (
        _DONE_BY.search(folded, max(floor, sentence - 1), match.start())
        if _CLEFT_END.search(folded, max(floor, match.start() - 6), match.start())
        else None
    )
    what = _DONE_WHAT.get(unit) or (labels[unit] if labels[unit].endswith("数") else "")
    if done and what:
        clause = re.sub("てお(?:ります|る)$", "ている", done["clause"])
        label = f"{clause}{what}"  # 「年度内に創業したのは9人」: 年度内に創業した人数
    if _CLAUSE_ONLY.search(label) and (len(unit) >= 2 or unit in _NOUN_UNITS) and re.fullmatch("[一-龥ァ-ヴー]+", unit):
        label += labels[unit]  # 「計画に掲げる62事業」: the clause says which 事業 (計画に掲げる事業数)
    if _ATTRIBUTE_ALONE.fullmatch(label):
        # 「各種がん検診委託料 決算額 98,204千円」: the attribute of the row's item, in the cell before.
        line = folded[max(folded.rfind("\n", 0, match.start()) + 1, floor) : match.start()]
        cells = line.rstrip(" 約計")
        row = _CELL_BEFORE.search(cells, 0, len(cells) - len(label)) if cells.endswith(label) else None
        label = f"{_trim(row[1])}の{label}" if row and _informative(_trim(row[1])) else label
    said_before = folded[sentence : match.start()]
    aimed = _AFTER_TARGET.search(said_before) if "に対し" in said_before else None
    if (
        aimed
        and (not _informative(label) or label.startswith("実績"))
        and _informative(aimed["what"])
        and not _CHANGE_RE.match(folded, match.end())
    ):
        label = _trim(aimed["what"])  # the result of what the target was set for
    if not _informative(label) or label == unit:
        label = labels[unit]  # 「全312事業」 says no more than 事業数
    past = _PAST_BEFORE.search(folded, max(floor, match.start() - 12), match.start())
    if (
        past
        and label != labels[unit]
        and not re.search("前年|昨年", label)
        and not _CHANGE_RE.match(folded, match.end())
    ):
        label = f"{label}（{past[1]}）"  # 「前年度の1,796件とほぼ同数」: the indicator, last year's
    opening = folded.rfind("(", sentence, match.start())
    inside = folded[opening : match.start()] if opening >= 0 and ")" not in folded[opening : match.start()] else ""
    after_noun = not folded[:opening].rstrip(" ").endswith("。")  # 「…実施した。(14校、6,103人)」 is the sentence's
    if inside and (_PAST_IN_PARENTHESES.match(inside) or (after_noun and _COUNTS_SO_FAR.fullmatch(inside))):
        # 「(前年度:31回、804人)」: last year's figures of the ones before; 「防犯講座(2回、延べ64人)」: the next
        # figure of the same thing (`_row_label`).
        label = labels[unit]
    if _MEASURED_AS.search(folded, floor, match.start()) and not _CHANGE_RE.match(folded, match.end()):
        label = labels[unit]  # 「割合にして5.8%」: the figure before, measured otherwise (`_row_label`)
    # A label names what is counted, not the bound that picked them: 「65歳以上の方からの相談」 → 高齢者からの相談.
    label = _mended(_unbound(label).replace("が占める割合", "の割合"))
    if negative and not _DECREASE.search(label):
        # 「実質収支 △12,345千円」, 「人口増減数 −1,234人」: below zero (a label that says it fell keeps it positive).
        value, value_max = -value, (-value_max if value_max is not None else None)
    approximate = any(q in APPROXIMATE for q in qualifiers)
    start, end = where[offset + (negative or match).start()], where[offset + match.end() - 1] + 1
    return Quantity(label, value, unit, qualifier, approximate, start, end, value_max)
