"""Tests for arabic_geo_nlp.clean: lines, boilerplate, headline and dates."""

import datetime
import re
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from arabic_geo_nlp.clean import (
    Line, find_boilerplate, find_dates, find_published, find_title, iter_lines,
)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
D = datetime.date


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def flagged_lines(text: str) -> list:
    """Stripped non-blank lines covered by a boilerplate span."""
    return [
        line.strip()
        for s, e in find_boilerplate(text)
        for line in text[s:e].splitlines()
        if line.strip()
    ]


# --- seeds -----------------------------------------------------------------------------

SEED_TITLES = {
    "000": "كوريا الشمالية تجني ثمار الحرب الروسية ضد أوكرانيا",
    "001": None,
    "002": "قمة بوتين وكيم: تحديات مشتركة وآفاق العلاقات الثنائية",
    "003": "في حاجة إلى الذخائر، بوتين يزور كوريا الشمالية",
    "004": "من جوتشي إلى النووي..ما سر التقارب بين روسيا وكوريا الشمالية؟",
}

SEED_PUBLISHED = {
    "000": None,
    "001": D(2025, 9, 10),
    "002": None,   # "24 فبراير 2022" is deep in the body
    "003": None,
    "004": D(2024, 4, 28),
}

# Exactly the lines each seed must flag: every other line (article sentences, headings,
# headline, bylines, category labels) must stay unflagged.
SEED_BOILERPLATE = {
    "000": [
        "للمزيد : تابع خليجيون 24 ، وللتواصل الاجتماعي تابعنا علي فيسبوك وتويتر",
        "مقالات ذات صلة", "زر الذهاب إلى الأعلى", "Open chat", "1", "Scan the code",
        "مرحبا 👋", "أهلاً! كيف يمكننا مساعدتك؟",
    ],
    "001": [],
    "002": ["مقالات ذات صلة", "زر الذهاب إلى الأعلى"],
    "003": [
        "Jannah Theme License is not validated, Go to the theme options page to validate the "
        "license, You need a single license for each domain name.",
        "اكتشاف المزيد من موقع علم",
        "اشترك للحصول على أحدث التدوينات المرسلة إلى بريدك الإلكتروني.",
        "اترك تعليقاً",
        "لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *",
        "زر الذهاب إلى الأعلى",
        "اكتشاف المزيد من موقع علم",
        "اشترك الآن للاستمرار في القراءة والحصول على حق الوصول إلى الأرشيف الكامل.",
        "Continue reading",
    ],
    "004": [
        "• - الموافق2024/04/28م", "• تواصل معنا", "• تسجيل الدخول down",
        "اسم المستخدم : كلمة المرور :", "Captcha", "أعلى",
    ],
}

NEVER_BOILERPLATE = [
    "ردود الفعل العالمية", "منح الشرعية", "ما الذي تريده روسيا؟", "ماذا تريد كوريا الشمالية؟",
    "مكانة سياسية مُهددة", "دلالات انعقاد القمة", "ميرنا أسامة", "باحثة بالمرصد المصري",
    "تقارير", "آسياروسيا", "اخبار", "بول سون ساهم في إعداد التقارير من برلين.",
]


@pytest.mark.parametrize("prefix", sorted(SEED_TITLES))
def test_seed_title(prefix):
    text = seed(prefix)
    title = find_title(text)
    if SEED_TITLES[prefix] is None:
        assert title is None
    else:
        assert title.text == SEED_TITLES[prefix]
        assert text[title.start:title.end] == title.text


@pytest.mark.parametrize("prefix", sorted(SEED_PUBLISHED))
def test_seed_published(prefix):
    assert find_published(seed(prefix)) == SEED_PUBLISHED[prefix]


@pytest.mark.parametrize("prefix", sorted(SEED_BOILERPLATE))
def test_seed_boilerplate_is_exactly_the_expected_lines(prefix):
    assert flagged_lines(seed(prefix)) == SEED_BOILERPLATE[prefix]


@pytest.mark.parametrize("prefix", sorted(SEED_BOILERPLATE))
def test_seed_article_lines_stay_unflagged(prefix):
    text = seed(prefix)
    flagged = set(flagged_lines(text))
    title = SEED_TITLES[prefix]
    for line in iter_lines(text):
        words = line.text.split()
        if len(words) >= 3 and line.text.strip() not in SEED_BOILERPLATE[prefix]:
            assert line.text.strip() not in flagged, line.text[:80]
    assert title is None or title not in flagged
    assert not flagged & set(NEVER_BOILERPLATE)


@pytest.mark.parametrize("prefix", sorted(SEED_BOILERPLATE))
def test_seed_boilerplate_spans_are_whole_lines(prefix):
    text = seed(prefix)
    starts = {line.start for line in iter_lines(text)}
    ends = {line.end for line in iter_lines(text)}
    spans = find_boilerplate(text)
    for s, e in spans:
        assert s in starts and e in ends and text[s:e].strip()
    for (_, e1), (s2, _) in zip(spans, spans[1:]):
        assert e1 < s2 and text[e1:s2].strip()   # adjacent lines were merged


def test_adjacent_boilerplate_lines_merge():
    text = "نص الخبر هنا.\nمقالات ذات صلة\n\nزر الذهاب إلى الأعلى\nOpen chat"
    (span,) = find_boilerplate(text)
    assert text[span[0]:span[1]] == "مقالات ذات صلة\n\nزر الذهاب إلى الأعلى\nOpen chat"


def test_boilerplate_line_offsets():
    text = "عنوان\r\n  • تواصل معنا\rنص"
    assert find_boilerplate(text) == [(7, 21)]
    assert text[7:21] == "  • تواصل معنا"


@pytest.mark.parametrize("line", [
    "الرئيسية", "الرئيسية » أخبار » الخليج", "شارك", "طباعة", "شارك فيسبوك تويتر واتساب",
    "© 2024 الجزيرة. جميع الحقوق محفوظة", "جميع الحقوق محفوظة لموقع سكاي نيوز عربية 2024",
    "يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك. بمواصلة التصفح فإنك توافق.",
    "اقرأ أيضاً: السعودية تستضيف قمة خليجية", "الأكثر قراءة", "تابعونا على",
    "تابعوا RT على", "اشترك في النشرة البريدية", "مصدر الصورة، Getty Images", "١٢٣", "***",
    "إعلان", "الوسوم: روسيا أوكرانيا", "أضف تعليقاً", "0 تعليقات", "قد يعجبك أيضاً",
    "تخطى البودكاست وواصل القراءة", "تسجيل الدخول", "العودة إلى الأعلى", "موافق",
])
def test_general_boilerplate_lines(line):
    assert flagged_lines(f"بداية المقال هنا.\n{line}\nنهاية المقال هنا.") == [line]


@pytest.mark.parametrize("line", [
    "اشترك الجيش السوري في المناورات مع القوات الروسية.",
    "تابعوا المفاوضات عبر تويتر",
    "المزيد من القوات الروسية تصل إلى الحدود",
    "شارك آلاف المتظاهرين في المسيرة وسط طهران.",
    "وأعلن التحالف أن جميع الحقوق محفوظة للشعب الفلسطيني في أرضه وفق القرارات الدولية "
    "التي صدرت عن الأمم المتحدة منذ عقود طويلة، وفق ما قاله المتحدث باسم الحركة في بيان "
    "مطول نشر اليوم، مضيفا أن الاحتلال لن يغير الحقائق على الأرض مهما طال الزمن "
    "ومهما تعددت محاولاته لفرض الأمر الواقع على الفلسطينيين في الضفة الغربية والقدس "
    "وقطاع غزة المحاصر منذ سنوات عديدة، ودعا المجتمع الدولي إلى التحرك العاجل والفوري "
    "من أجل وقف الانتهاكات المستمرة بحق المدنيين العزل وإنهاء الحصار المفروض على القطاع "
    "بشكل كامل ودون أي شروط مسبقة من أي طرف كان، كما طالب بمحاسبة المسؤولين عن الجرائم.",
    "أعلى مستوى من التوتر منذ الحرب الباردة",
])
def test_article_sentences_are_not_boilerplate(line):
    assert flagged_lines(f"عنوان الخبر الرئيسي هنا\n{line}\n") == []


# --- dates -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, raw, expected", [
    ("10 سبتمبر 2025", "10 سبتمبر 2025", D(2025, 9, 10)),
    ("في 13 سبتمبر 2023م، استمرت", "13 سبتمبر 2023م", D(2023, 9, 13)),
    ("2024/04/28م", "2024/04/28م", D(2024, 4, 28)),
    ("28/04/2024", "28/04/2024", D(2024, 4, 28)),
    ("2024-04-28", "2024-04-28", D(2024, 4, 28)),
    ("28-04-2024", "28-04-2024", D(2024, 4, 28)),
    ("28.04.2024", "28.04.2024", D(2024, 4, 28)),
    ("04/28/2024", "04/28/2024", D(2024, 4, 28)),              # M/D/Y when D/M/Y is impossible
    ("• - الموافق2024/04/28م", "2024/04/28م", D(2024, 4, 28)),
    ("١٠ سبتمبر ٢٠٢٥", "١٠ سبتمبر ٢٠٢٥", D(2025, 9, 10)),
    ("٢٠٢٤/٠٤/٢٨", "٢٠٢٤/٠٤/٢٨", D(2024, 4, 28)),
    ("الأحد 10 سبتمبر 2025", "10 سبتمبر 2025", D(2025, 9, 10)),
    ("10 September 2025", "10 September 2025", D(2025, 9, 10)),
    ("Published September 10, 2025", "September 10, 2025", D(2025, 9, 10)),
    ("1st Jan 2024", "1st Jan 2024", D(2024, 1, 1)),
    ("5 آب 2024", "5 آب 2024", D(2024, 8, 5)),
    ("1 كانون الثاني 2024", "1 كانون الثاني 2024", D(2024, 1, 1)),
    ("7 تشرين الأول 2023", "7 تشرين الأول 2023", D(2023, 10, 7)),
    ("12 سبتمبر/أيلول 2023", "12 سبتمبر/أيلول 2023", D(2023, 9, 12)),
    ("5 أغسطس/ آب 2024", "5 أغسطس/ آب 2024", D(2024, 8, 5)),
    ("3 يونيه 2014", "3 يونيه 2014", D(2014, 6, 3)),
    ("23 يوليه 1952", "23 يوليه 1952", D(1952, 7, 23)),
    ("15 اغسطس 2021", "15 اغسطس 2021", D(2021, 8, 15)),
    ("يوم 28 ديسمبر سنة 1955", "28 ديسمبر سنة 1955", D(1955, 12, 28)),
    ("4 من شهر يوليو من عام 2020", "4 من شهر يوليو من عام 2020", D(2020, 7, 4)),
    ("14 سبتمبر 2023، قال", "14 سبتمبر 2023", D(2023, 9, 14)),
    ("20 شتنبر 2022", "20 شتنبر 2022", D(2022, 9, 20)),
    ("5 جويلية 1962", "5 جويلية 1962", D(1962, 7, 5)),
    ("١٠ سِبْتَمْبَر ٢٠٢٥", "١٠ سِبْتَمْبَر ٢٠٢٥", D(2025, 9, 10)),
])
def test_date_formats(text, raw, expected):
    ((s, e, day),) = find_dates(text)
    assert text[s:e] == raw
    assert day == expected


@pytest.mark.parametrize("text", [
    "31/02/2024", "30 فبراير 2023", "2024/13/01", "32 مارس 2024", "0 مايو 2024",
    "13/13/2024", "في 18 يونيو الماضي", "في فبراير 2022", "1445/09/01هـ", "5 رمضان 1445",
    "10 سبتمبر 20255", "110 سبتمبر 2025", "الساعة 10:30", "الإصدار 1.2.3",
])
def test_impossible_or_partial_dates_are_rejected(text):
    assert find_dates(text) == []


def test_every_month_name_in_the_data_file_parses():
    rows = resources.files("arabic_geo_nlp.data").joinpath("months.tsv").read_text(encoding="utf-8")
    rows = [r.split("\t") for r in rows.splitlines() if r.strip() and not r.startswith("#")]
    assert {int(n) for _, n in rows} == set(range(1, 13))
    for name, number in rows:
        text = f"نشر في 5 {name} 2024"
        ((s, e, day),) = find_dates(text)
        assert day == D(2024, int(number), 5) and text[s:e] == f"5 {name} 2024"


def test_published_prefers_header_and_ignores_deep_body_dates():
    body = "وقال المتحدث إن المحادثات ستستمر خلال الأسابيع المقبلة في العاصمة. " * 12
    assert find_published(f"عنوان الخبر الرئيسي اليوم\n{body}\nفي 18 يونيو 2024 وقع الاتفاق") is None
    assert find_published(f"{body}\n10 سبتمبر 2025") is None
    assert find_published(f"10 سبتمبر 2025\n{body}\n18 يونيو 2024") == D(2025, 9, 10)
    # a header date may sit after the title and beyond the first 500 characters
    nav = "\n".join(["الرئيسية", "أخبار", "سياسة", "اقتصاد"] + ["شارك"] * 4) + "\n" + "#" * 500
    text = f"{nav}\nعنوان الخبر الرئيسي اليوم\nالأحد 10 سبتمبر 2025\n{body}"
    assert text.index("10 سبتمبر") > 500
    assert find_published(text) == D(2025, 9, 10)


# --- other outlets ---------------------------------------------------------------------

GULF = """الرئيسية » أخبار » الخليج
الإمارات والسعودية تبحثان أمن الملاحة في البحر الأحمر
أبوظبي - سكاي نيوز عربية
نشر في: الأحد ١٠ سبتمبر ٢٠٢٣ - ١٠:٣٠ ص بتوقيت أبوظبي
شارك
بحث وزير الخارجية الإماراتي مع نظيره السعودي في الرياض، الأحد، سبل تعزيز أمن الملاحة في البحر الأحمر ومضيق باب المندب، في ظل تصاعد الهجمات على السفن التجارية خلال الأشهر الماضية، وفق ما أفادت وكالة الأنباء الرسمية.
وأكد الجانبان في 5 مارس 2023 أهمية التنسيق المشترك.
اقرأ أيضاً: السعودية تستضيف قمة خليجية في الرياض
الوسوم: الإمارات السعودية البحر الأحمر
© 2023 سكاي نيوز عربية. جميع الحقوق محفوظة
يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك.
موافق
"""

IRAN = """تخطى إلى المحتوى
القائمة
بحث
إيران تعلن إطلاق قمر صناعي جديد من قاعدة سمنان
الأربعاء 28/2/2024
بقلم: مراسل الجزيرة في طهران
طهران- أعلنت وكالة الفضاء الإيرانية اليوم الأربعاء نجاح إطلاق قمر صناعي جديد للاتصالات من قاعدة سمنان الفضائية، في خطوة قالت إنها تعزز قدرات البلاد في مجال الفضاء رغم العقوبات الغربية المفروضة عليها منذ سنوات.
ردود الفعل الدولية
وقالت الخارجية الأميركية في بيان إن الإطلاق يثير القلق.
المصدر : الجزيرة + وكالات
تابعنا على فيسبوك وتويتر وتيليجرام
"""

UKRAINE = """أخبار
زيلينسكي يطالب الغرب بمزيد من الدفاعات الجوية بعد هجوم على كييف
5 أغسطس/ آب 2024
مصدر الصورة، Reuters
قال الرئيس الأوكراني فولوديمير زيلينسكي إن بلاده تحتاج بشكل عاجل إلى مزيد من أنظمة الدفاع الجوي بعد هجوم صاروخي روسي واسع على العاصمة كييف ليلة الأحد أسفر عن سقوط قتلى وجرحى بين المدنيين.
ومنذ 24 شباط 2022 تشن روسيا حربا على أوكرانيا.
الأكثر قراءة
تخطى الأكثر قراءة وواصل القراءة
"""

NO_HEADLINE = """اخبار
قالت وزارة الخارجية القطرية في بيان اليوم إن الدوحة تواصل جهود الوساطة بين الأطراف المعنية للتوصل إلى اتفاق لوقف إطلاق النار في قطاع غزة، مؤكدة أن المفاوضات التي جرت خلال الأيام الماضية كانت بناءة وأن هناك تقدما ملموسا في عدد من الملفات العالقة.
وأضافت الوزارة أن الوسطاء سيواصلون اتصالاتهم مع جميع الأطراف خلال الأيام المقبلة من أجل تقريب وجهات النظر وتذليل العقبات المتبقية أمام الاتفاق، مشيرة إلى أن الدوحة تعمل بالتنسيق الوثيق مع القاهرة وواشنطن في هذا الملف الإنساني العاجل الذي يحظى باهتمام دولي واسع.
وقع الاتفاق في 15 يناير 2025 بحضور الوسطاء.
زر الذهاب إلى الأعلى
"""


@pytest.mark.parametrize("text, title, published, boilerplate", [
    (GULF, "الإمارات والسعودية تبحثان أمن الملاحة في البحر الأحمر", D(2023, 9, 10), [
        "الرئيسية » أخبار » الخليج", "شارك", "اقرأ أيضاً: السعودية تستضيف قمة خليجية في الرياض",
        "الوسوم: الإمارات السعودية البحر الأحمر", "© 2023 سكاي نيوز عربية. جميع الحقوق محفوظة",
        "يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك.", "موافق",
    ]),
    (IRAN, "إيران تعلن إطلاق قمر صناعي جديد من قاعدة سمنان", D(2024, 2, 28), [
        "تخطى إلى المحتوى", "القائمة", "بحث", "تابعنا على فيسبوك وتويتر وتيليجرام",
    ]),
    (UKRAINE, "زيلينسكي يطالب الغرب بمزيد من الدفاعات الجوية بعد هجوم على كييف", D(2024, 8, 5), [
        "مصدر الصورة، Reuters", "الأكثر قراءة", "تخطى الأكثر قراءة وواصل القراءة",
    ]),
    (NO_HEADLINE, None, None, ["زر الذهاب إلى الأعلى"]),
], ids=["gulf", "iran", "ukraine", "no-headline"])
def test_mini_articles(text, title, published, boilerplate):
    found = find_title(text)
    assert (found and found.text) == title
    assert find_published(text) == published
    assert flagged_lines(text) == boilerplate


# --- lines and robustness --------------------------------------------------------------

def test_iter_lines_separators_and_offsets():
    text = "أ\nب\r\nج\rد\u2028ه\u2029و\n\nز"
    lines = list(iter_lines(text))
    assert [line.text for line in lines] == ["أ", "ب", "ج", "د", "ه", "و", "", "ز"]
    assert all(text[line.start:line.end] == line.text for line in lines)
    assert list(iter_lines("")) == [] and list(iter_lines("أ\n")) == [Line(0, 1, "أ")]


def test_title_offsets_are_stripped():
    text = "  \n   بوتين يزور كوريا الشمالية هذا الأسبوع  \nنص."
    title = find_title(text)
    assert title.text == "بوتين يزور كوريا الشمالية هذا الأسبوع"
    assert text[title.start:title.end] == title.text


FRAGMENTS = st.sampled_from([
    "\n", "\r\n", "\r", "\u2028", " ", "•", "-", "/", "م", "هـ", "١٠", "2024", "28", "04",
    " سبتمبر ", "كانون الثاني", "الموافق", "زر الذهاب إلى الأعلى", "شارك", "©", "َ", "ـ",
    "\u200f", "ﻻ", "أعلى", "Open chat", "تابعنا على فيسبوك", "بوتين يزور كوريا الشمالية",
])
TEXTS = st.one_of(st.text(), st.lists(st.one_of(FRAGMENTS, st.text(max_size=5)), max_size=40).map("".join))


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_never_raises_and_offsets_stay_in_range(text):
    lines = list(iter_lines(text))
    assert all(text[line.start:line.end] == line.text for line in lines)
    assert not any(re.search("[\n\r\u2028\u2029]", line.text) for line in lines)
    previous_end = -1
    for s, e in find_boilerplate(text):
        assert previous_end < s < e <= len(text)
        previous_end = e
    for s, e, day in find_dates(text):
        assert 0 <= s < e <= len(text) and isinstance(day, D)
    title = find_title(text)
    assert title is None or (text[title.start:title.end] == title.text and title.text.strip())
    published = find_published(text)
    assert published is None or isinstance(published, D)
