"""The demo's three teams: their places, members, and what their meetings say (tracker.demo records them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoTeam:
    name: str
    kind: str
    country: str
    region: str
    district: str
    municipality: str
    place: str
    members: list[tuple[str, str, str, str, str]]  # name, role, sector, gender, age band
    bodies: list[str]
    promises: list[tuple[str, str, str]]  # decision, commitment, visibility
    confidential: list[tuple[str, str]]
    notes: dict[str, str]
    confidential_category: str = "other"  # the category of the team's confidential problem (its last case)


TEAMS = [
    DemoTeam(
        name="Нариман",
        kind="LCPC",
        country="KG",
        region="KG-O",
        district="Кара-Суу району",
        municipality="Нариман айыл өкмөтү",
        place="Нариман айыл өкмөтүнүн залы",
        members=[
            ("Айгүл Осмонова", "chair", "womens_committee", "female", "45_59"),
            ("Бакыт Токтогулов", "member", "police", "male", "30_44"),
            ("Нурлан Абдыкеримов", "member", "local_government", "male", "45_59"),
            ("Гүлнара Жээнбекова", "secretary", "school", "female", "30_44"),
            ("Эрмек Сыдыков", "member", "elders", "male", "60_plus"),
            ("Чынара Мамытова", "member", "civil_society", "female", "30_44"),
            ("Азамат Өмүрбеков", "member", "youth_committee", "male", "18_29"),
            ("Айпери Ташиева", "member", "youth_committee", "female", "18_29"),
            ("Молдо Үсөн Абдраимов", "member", "religious_leader", "male", "60_plus"),
            ("Мээрим Сатыбалдиева", "member", "activist", "female", "18_29"),
            ("Таалай Жунушов", "member", "local_government", "male", "30_44"),
        ],
        bodies=["Нариман айыл өкмөтү", "Кара-Суу райондук ички иштер бөлүмү"],
        promises=[
            ("Борбордук көчөгө жарык орнотуу", "Айыл өкмөтүнөн 12 чырак сатып алууну суроо", "public"),
            ("Мектептин жанында кезмет уюштуруу", "Сабактан кийин мектептин жанында кезметке туруу", "public"),
            ("Жаштар менен жолугушуу өткөрүү", "Тобокелдиги бар жаштар менен жолугушууну даярдоо", "team"),
            ("Спорт аянтчасын оңдоо", "Спорт аянтчасын оңдоого акча издөө", "public"),
            ("Мал уурулугунун алдын алуу", "Жайыттарда түнкү кезметтин тартибин түзүү", "public"),
            ("Ата-энелер менен жыйын", "Мектептеги ата-энелер жыйынында коопсуздук тууралуу сүйлөө", "public"),
        ],
        confidential=[
            ("Эрте никеге берилген кыздын абалы", "Үй-бүлө менен социалдык кызматкер аркылуу сүйлөшүү"),
            ("Мектепте акча талап кылуу", "Класс жетекчилери менен жашыруун маек өткөрүү"),
        ],
        confidential_category="extortion_in_schools",
        notes={"kept": "Аткарылды", "in_progress": "Иш жүрүп жатат", "not_kept": "Акча табылган жок"},
    ),
    DemoTeam(
        name="Ворух",
        kind="CPPT",
        country="TJ",
        region="TJ-SU",
        district="Ноҳияи Исфара",
        municipality="Ҷамоати Ворух",
        place="Бинои ҷамоат",
        members=[
            ("Фарзона Раҳимова", "chair", "local_government", "female", "45_59"),
            ("Ҷамшед Қодиров", "member", "police", "male", "30_44"),
            ("Зарина Ғафурова", "secretary", "womens_committee", "female", "30_44"),
            ("Умед Ҳакимов", "member", "youth_committee", "male", "18_29"),
            ("Мавҷуда Назарова", "member", "school", "female", "45_59"),
            ("Сӯҳроб Шарипов", "member", "elders", "male", "60_plus"),
            ("Ғайрат Ӯринов", "member", "religious_leader", "male", "45_59"),
            ("Нигина Қурбонова", "member", "activist", "female", "18_29"),
            ("Фирдавс Ҷӯраев", "member", "civil_society", "male", "30_44"),
        ],
        bodies=["Ҷамоати Ворух", "Шӯъбаи корҳои дохилии ноҳияи Исфара"],
        promises=[
            ("Равшан кардани кӯчаҳо", "Аз ҷамоат харидани чароғҳои кӯча", "public"),
            ("Ҳифзи роҳи мактаб", "Навбатдорӣ дар назди мактаб пас аз дарс", "public"),
            ("Вохӯрӣ бо ҷавонон", "Ташкили вохӯрӣ бо ҷавонони гурӯҳи хавф", "team"),
            ("Таъмири майдончаи варзишӣ", "Ҷустуҷӯи маблағ барои таъмири майдонча", "public"),
            ("Баҳсҳои об", "Ташкили шӯро барои тақсими оби обёрӣ", "public"),
        ],
        confidential=[
            ("Ҷавоне, ки ба гурӯҳи ифротӣ наздик шудааст", "Сӯҳбат бо оила бо иштироки имом"),
            ("Зӯроварӣ дар оила", "Ҳамроҳӣ кардани зан ба маркази кумак"),
        ],
        confidential_category="domestic_violence",
        notes={"kept": "Иҷро шуд", "in_progress": "Дар ҷараён", "not_kept": "Маблағ ёфт нашуд"},
    ),
    DemoTeam(
        name="Yangi hayot",
        kind="CPPT",
        country="UZ",
        region="UZ-FA",
        district="Margʻilon shahri",
        municipality="Yangi hayot mahallasi",
        place="Mahalla guzari",
        members=[
            ("Dilnoza Yoʻldosheva", "chair", "local_government", "female", "45_59"),
            ("Gʻayrat Toʻxtayev", "member", "police", "male", "30_44"),
            ("Shahnoza Qodirova", "secretary", "womens_committee", "female", "30_44"),
            ("Oʻktam Rahimov", "member", "elders", "male", "60_plus"),
            ("Jasur Ergashev", "member", "youth_committee", "male", "18_29"),
            ("Mohira Sobirova", "member", "school", "female", "30_44"),
            ("Abdulla Qori Nazarov", "member", "religious_leader", "male", "45_59"),
            ("Sevara Mirzayeva", "member", "activist", "female", "18_29"),
        ],
        bodies=["Yangi hayot mahalla fuqarolar yigʻini", "Margʻilon shahar IIB"],
        promises=[
            ("Koʻchalarni yoritish", "Mahalla uchun 10 ta chiroq olish", "public"),
            ("Maktab yoʻlida navbatchilik", "Darsdan keyin maktab oldida navbatchilik qilish", "public"),
            ("Yoshlar bilan uchrashuv", "Xavf guruhidagi yoshlar bilan uchrashuv tashkil qilish", "team"),
            ("Sport maydonchasini taʼmirlash", "Maydonchani taʼmirlash uchun mablagʻ topish", "public"),
        ],
        confidential=[
            ("Maktabda pul talab qilish holati", "Sinf rahbarlari bilan maxfiy suhbat oʻtkazish"),
        ],
        confidential_category="extortion_in_schools",
        notes={"kept": "Bajarildi", "in_progress": "Jarayonda", "not_kept": "Mablagʻ topilmadi"},
    ),
]
