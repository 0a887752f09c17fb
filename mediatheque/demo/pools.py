"""Word and name pools for the demo library: French, Russian, Kazakh (and a little English).

Kept as data only; the combinations are built in mediatheque.demo.text. Space-separated
strings keep the pools compact; `|` separates entries that contain spaces.
"""

from __future__ import annotations


def _w(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _p(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|") if part.strip())


def _table(text: str) -> tuple[tuple[str, ...], ...]:
    """Rows separated by ";", fields by ":"."""
    return tuple(tuple(row.split(":")) for row in text.split(";") if row.strip())


# --- People -----------------------------------------------------------------------------

FRENCH_MEN = _w(
    "Jean Pierre Louis Nicolas Julien Thomas François Jacques Étienne Benoît Hugo Loïc Jérôme "
    "Mathieu Antoine Olivier Philippe Sébastien Vincent Rémi Gaël Théo Maxime Baptiste Denis"
)
FRENCH_WOMEN = _w(
    "Marie Sophie Claire Camille Léa Hélène Anne Isabelle Émilie Chloé Mathilde Gaëlle Noémie "
    "Cécile Amélie Inès Zoé Céline Anaïs Juliette Élodie Margaux Agnès Béatrice Laure Solène"
)
FRENCH_SURNAMES = _w(
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefèvre Michel David Bertrand Roux Vincent Fournier Morel Girard André Mercier Dupont "
    "Lambert Bonnet Legrand Garnier Faure Rousseau Blanc Guérin Muller Henry Roussel Perrin "
    "Morin Mathieu Clément Gauthier Dumont Fontaine Chevalier Robin Masson Sanchez Brun Noël "
    "Meunier Lemaire Barbier Arnaud Giraud Rolland Picard Aubert Lacroix Schmitt Leclerc Besson"
)
RUSSIAN_MEN = _w(
    "Иван Сергей Александр Михаил Николай Дмитрий Андрей Алексей Владимир Юрий Павел Георгий "
    "Виктор Евгений Константин Фёдор Григорий Олег Артём Кирилл Максим Роман Степан Борис"
)
RUSSIAN_WOMEN = _w(
    "Анна Мария Елена Ольга Татьяна Наталья Ирина Людмила Екатерина Светлана Юлия Вера Дарья "
    "Надежда Галина Ксения Алёна Полина Софья Валентина Лариса Марина Евгения Зинаида"
)
# Masculine forms; the feminine is derived (Иванов → Иванова, Островский → Островская).
RUSSIAN_SURNAMES = _w(
    "Иванов Петров Смирнов Кузнецов Попов Соколов Лебедев Козлов Новиков Морозов Волков "
    "Соловьёв Васильев Зайцев Павлов Семёнов Голубев Виноградов Богданов Воробьёв Фёдоров "
    "Михайлов Беляев Тарасов Белов Комаров Орлов Киселёв Макаров Андреев Ковалёв Ильин "
    "Гусев Титов Кузьмин Кудрявцев Баранов Куликов Алексеев Степанов Яковлев Сорокин Сергеев "
    "Романов Захаров Борисов Королёв Герасимов Пономарёв Григорьев Лазарев Медведев Ершов "
    "Никитин Соболев Рябов Поляков Цветков Данилов Жуков Фролов Журавлёв Николаев Крылов "
    "Максимов Сидоров Осипов Белоусов Федотов Дорофеев Егоров Матвеев Бобров Дмитриев "
    "Островский Покровский Вишневский Закревский Толстой Луговской"
)
KAZAKH_MEN = _w(
    "Абай Мұхтар Сәбит Ғабит Олжас Мағжан Ахмет Ілияс Жүсіпбек Бауыржан Қасым Әлібек Нұрлан "
    "Ерлан Арман Дәурен Ерғали Төлеген Шерхан Мұқағали Тоқтар Сағат Қадыр Қуаныш Серік "
    "Асқар Нұржан Ерболат Дархан Мейіржан Әділ Бекзат Ғалымжан Тимур Айбек Ержан Жандос "
    "Талғат Өмірзақ Үмбетәлі Іскендір Ұлан Рүстем Нұрсұлтан Әбдіжәміл Оралхан Шәкен"
)
KAZAKH_WOMEN = _w(
    "Айгүл Әйгерім Гүлнар Жанар Сәуле Меруерт Динара Ақерке Фариза Зейнеп Балжан Дана "
    "Ұлжан Үміт Іңкәр Әсел Гүлмира Жұлдыз Айнұр Мөлдір Назерке Салтанат Ботагөз Ақмарал "
    "Шынар Күләш Раушан Гүлжан Маржан Әлия Томирис Аружан Қарлығаш Әмина Ләззат Дариға"
)
# Fathers' names from which Kazakh surnames are formed: Құнанбай → Құнанбаев, Құнанбайұлы.
KAZAKH_SURNAME_ROOTS = _w(
    "Құнанбай Әуез Сүлеймен Жұмабай Мұқан Нұрпейіс Байтұрсын Серік Ахмет Қасым Тоқтар "
    "Әбіш Омар Ерғали Жақсыбек Оспан Сәрсен Бекмұхамбет Ыбырай Нұрғали Әлімжан Дәулет "
    "Мұхамеджан Шәкен Ілияс Өтеген Үсен Ұзақ Тәжібай Бөкей Мақатай "
    "Жансүгір Ахтан Қабдолла Смағұл Тұрсын Мәмбет Ибраһим Бердібек Ержан Қайрат Мырзахмет "
    "Әмір Бейсен "
    "Қалиасқар Ғалым Төлеу Сұлтан Жақып Әбілқайыр Рахым Әбдіразақ Құрманғали Дүйсен"
)
ENGLISH_MEN = _w("John David Michael James Robert William Peter Richard Andrew George")
ENGLISH_WOMEN = _w("Mary Sarah Emma Elizabeth Helen Jane Rachel Laura Katherine Alice")
ENGLISH_SURNAMES = _w(
    "Smith Johnson Brown Taylor Wilson Davies Evans Walker Wright Thompson Green Hall Wood "
    "Clarke Harris Lewis Robinson Hughes Edwards Turner Baker Cooper Morgan Bennett"
)

# key:language:surname:forenames:dates, separated by ";"
FAMOUS_AUTHORS: tuple[tuple[str, str, str, str | None, str | None], ...] = tuple(
    (key, lang, surname, forenames or None, dates or None)
    for key, lang, surname, forenames, dates in _table(
        "hugo:fre:Hugo:Victor:1802-1885;ernaux:fre:Ernaux:Annie:1940-;"
        "camus:fre:Camus:Albert:1913-1960;duras:fre:Duras:Marguerite:1914-1996;"
        "zola:fre:Zola:Émile:1840-1902;flaubert:fre:Flaubert:Gustave:1821-1880;"
        "saintex:fre:Saint-Exupéry:Antoine de:1900-1944;verne:fre:Verne:Jules:1828-1905;"
        "dumas:fre:Dumas:Alexandre:1802-1870;proust:fre:Proust:Marcel:1871-1922;"
        "modiano:fre:Modiano:Patrick:1945-;slimani:fre:Slimani:Leïla:1981-;"
        "pennac:fre:Pennac:Daniel:1944-;vargas:fre:Vargas:Fred:1957-;"
        "colette:fre:Colette::1873-1954;maupassant:fre:Maupassant:Guy de:1850-1893;"
        "beauvoir:fre:Beauvoir:Simone de:1908-1986;"
        "leclezio:fre:Le Clézio:Jean-Marie Gustave:1940-;goscinny:fre:Goscinny:René:1926-1977;"
        "uderzo:fre:Uderzo:Albert:1927-2020;herge:fre:Hergé::1907-1983;"
        "sattouf:fre:Sattouf:Riad:1978-;satrapi:fre:Satrapi:Marjane:1969-;"
        "sfar:fre:Sfar:Joann:1971-;ilf:rus:Ильф:Илья:1897-1937;"
        "petrov:rus:Петров:Евгений:1902-1942;bulgakov:rus:Булгаков:Михаил:1891-1940;"
        "tolstoy:rus:Толстой:Лев:1828-1910;dostoevsky:rus:Достоевский:Фёдор:1821-1881;"
        "chekhov:rus:Чехов:Антон:1860-1904;pushkin:rus:Пушкин:Александр:1799-1837;"
        "gogol:rus:Гоголь:Николай:1809-1852;pasternak:rus:Пастернак:Борис:1890-1960;"
        "akhmatova:rus:Ахматова:Анна:1889-1966;ulitskaya:rus:Улицкая:Людмила:1943-;"
        "yakhina:rus:Яхина:Гузель:1977-;vodolazkin:rus:Водолазкин:Евгений:1964-;"
        "suleimenov:rus:Сулейменов:Олжас:1936-;abai:kaz:Құнанбайұлы:Абай:1845-1904;"
        "auezov:kaz:Әуезов:Мұхтар:1897-1961;esenberlin:kaz:Есенберлин:Ілияс:1915-1983;"
        "zhumabaev:kaz:Жұмабаев:Мағжан:1893-1938;baitursynuly:kaz:Байтұрсынұлы:Ахмет:1872-1937;"
        "mukanov:kaz:Мұқанов:Сәбит:1900-1973;musrepov:kaz:Мүсірепов:Ғабит:1902-1985;"
        "nurpeisov:kaz:Нұрпейісов:Әбдіжәміл:1924-2022;"
        "aimauytuly:kaz:Аймауытұлы:Жүсіпбек:1889-1931;dulatuly:kaz:Дулатұлы:Міржақып:1885-1935;"
        "sokpakbaev:kaz:Соқпақбаев:Бердібек:1924-1991;makataev:kaz:Мақатаев:Мұқағали:1931-1976;"
        "murtaza:kaz:Мұртаза:Шерхан:1932-2018;bokei:kaz:Бөкей:Оралхан:1943-1993;"
        "shakarim:kaz:Құдайбердіұлы:Шәкәрім:1858-1931;"
        "altynsarin:kaz:Алтынсарин:Ыбырай:1841-1889;"
        "ongarsynova:kaz:Оңғарсынова:Фариза:1939-2014;myrzaali:kaz:Мырза Әли:Қадыр:1935-2011;"
    )
)

# Works known in several languages: author key, {language: title}.
FAMOUS_WORKS: tuple[tuple[str, dict[str, str]], ...] = (
    ("hugo", {"fre": "Les Misérables", "rus": "Отверженные", "eng": "Les Misérables"}),
    ("hugo", {"fre": "Notre-Dame de Paris", "rus": "Собор Парижской Богоматери"}),
    ("saintex", {"fre": "Le Petit Prince", "rus": "Маленький принц",
                 "kaz": "Кішкентай ханзада", "eng": "The Little Prince"}),
    ("camus", {"fre": "L'Étranger", "rus": "Посторонний"}),
    ("camus", {"fre": "La Peste", "rus": "Чума"}),
    ("ernaux", {"fre": "Les Années", "rus": "Годы"}),
    ("ernaux", {"fre": "La Place", "rus": "Место"}),
    ("flaubert", {"fre": "Madame Bovary", "rus": "Госпожа Бовари"}),
    ("zola", {"fre": "Germinal", "rus": "Жерминаль"}),
    ("dumas", {"fre": "Les Trois Mousquetaires", "rus": "Три мушкетёра"}),
    ("dumas", {"fre": "Le Comte de Monte-Cristo", "rus": "Граф Монте-Кристо"}),
    ("verne", {"fre": "Le Tour du monde en quatre-vingts jours",
               "rus": "Вокруг света за восемьдесят дней"}),
    ("proust", {"fre": "Du côté de chez Swann", "rus": "По направлению к Свану"}),
    ("modiano", {"fre": "Rue des Boutiques Obscures", "rus": "Улица Тёмных Лавок"}),
    ("duras", {"fre": "L'Amant", "rus": "Любовник"}),
    ("pennac", {"fre": "Comme un roman", "rus": "Как роман"}),
    ("colette", {"fre": "Le Blé en herbe"}),
    ("maupassant", {"fre": "Bel-Ami", "rus": "Милый друг"}),
    ("ilf", {"rus": "Двенадцать стульев", "fre": "Les Douze Chaises"}),
    ("ilf", {"rus": "Золотой телёнок", "fre": "Le Veau d'or"}),
    ("bulgakov", {"rus": "Мастер и Маргарита", "fre": "Le Maître et Marguerite"}),
    ("tolstoy", {"rus": "Война и мир", "fre": "Guerre et Paix"}),
    ("tolstoy", {"rus": "Анна Каренина", "fre": "Anna Karénine"}),
    ("dostoevsky", {"rus": "Преступление и наказание", "fre": "Crime et Châtiment"}),
    ("chekhov", {"rus": "Вишнёвый сад", "fre": "La Cerisaie"}),
    ("pushkin", {"rus": "Евгений Онегин", "fre": "Eugène Onéguine"}),
    ("pushkin", {"rus": "Капитанская дочка", "fre": "La Fille du capitaine"}),
    ("gogol", {"rus": "Мёртвые души", "fre": "Les Âmes mortes"}),
    ("pasternak", {"rus": "Доктор Живаго", "fre": "Le Docteur Jivago"}),
    ("yakhina", {"rus": "Зулейха открывает глаза", "fre": "Zouleikha ouvre les yeux"}),
    ("vodolazkin", {"rus": "Лавр", "fre": "Les Quatre Vies d'Arseni"}),
    ("suleimenov", {"rus": "Аз и Я"}),
    ("abai", {"kaz": "Қара сөздер", "rus": "Слова назидания", "fre": "Le Livre des paroles"}),
    ("auezov", {"kaz": "Абай жолы", "rus": "Путь Абая", "fre": "La Voie d'Abaï"}),
    ("esenberlin", {"kaz": "Көшпенділер", "rus": "Кочевники", "fre": "Les Nomades"}),
    ("nurpeisov", {"kaz": "Қан мен тер", "rus": "Кровь и пот"}),
    ("mukanov", {"kaz": "Ботагөз"}),
    ("musrepov", {"kaz": "Ұлпан", "rus": "Улпан её имя"}),
    ("aimauytuly", {"kaz": "Ақбілек"}),
    ("dulatuly", {"kaz": "Оян, қазақ!"}),
    ("dulatuly", {"kaz": "Бақытсыз Жамал"}),
    ("sokpakbaev", {"kaz": "Менің атым Қожа", "rus": "Меня зовут Кожа"}),
    ("makataev", {"kaz": "Өмір-дария"}),
    ("murtaza", {"kaz": "Қызыл жебе"}),
    ("bokei", {"kaz": "Атау-кере"}),
    ("zhumabaev", {"kaz": "Батыр Баян"}),
    ("baitursynuly", {"kaz": "Маса"}),
    ("shakarim", {"kaz": "Қалқаман-Мамыр"}),
    ("altynsarin", {"kaz": "Қазақ хрестоматиясы"}),
)

# --- Title words ----------------------------------------------------------------------

# French nouns: "word:g" with g = m or f; an initial vowel or mute h takes l'.
FRENCH_NOUNS = _w(
    "maison:f jardin:m vent:m steppe:f nuit:f mer:f montagne:f ville:f rivière:f voyage:m "
    "silence:m secret:m mémoire:f lumière:f ombre:f étoile:f hiver:m été:m enfant:m île:f "
    "horizon:m oiseau:m amour:m route:f chemin:m printemps:m automne:m cheval:m fleuve:m "
    "désert:m pays:m frontière:f lettre:f promesse:f fille:f femme:f homme:m histoire:f "
    "saison:f neige:f pluie:f forêt:f lac:m porte:f retour:m rêve:m chant:m cœur:m source:f "
    "caravane:f yourte:f aigle:m pomme:f jour:m ciel:m marché:m train:m gare:f musique:f "
    "guerre:f liberté:f vérité:f famille:f mère:f père:m sœur:f frère:m bibliothèque:f "
    "langue:f parole:f feu:m pierre:f sel:m or:m exil:m"
)
# masculine/feminine, placed after the noun
FRENCH_ADJECTIVES = _w(
    "blanc/blanche noir/noire bleu/bleue rouge/rouge perdu/perdue secret/secrète "
    "lointain/lointaine oublié/oubliée silencieux/silencieuse infini/infinie sauvage/sauvage "
    "doré/dorée éternel/éternelle invisible/invisible froid/froide brûlant/brûlante "
    "immobile/immobile inachevé/inachevée étranger/étrangère nomade/nomade interdit/interdite "
    "endormi/endormie retrouvé/retrouvée fragile/fragile amer/amère ancien/ancienne "
    "léger/légère profond/profonde sacré/sacrée heureux/heureuse sombre/sombre"
)
FRENCH_PLACES = _p(
    "Paris|Almaty|Samarcande|Boukhara|Marseille|Lyon|Astana|Tachkent|Bichkek|Odessa|Moscou|"
    "Saint-Pétersbourg|Chymkent|Karaganda|Aktaou|Alger|Dakar|Montréal|Bruxelles|Genève|"
    "Venise|Istanbul|Baïkonour|Semeï|Turkestan|Otrar|Tbilissi|Bakou|Khiva|Nantes"
)
FRENCH_GENRES = _w("roman nouvelles récit poèmes contes chroniques mémoires théâtre essai")

# Russian nouns: nominative/genitive/gender
RUSSIAN_NOUNS = _w(
    "дом/дома/m сад/сада/m город/города/m ветер/ветра/m берег/берега/m путь/пути/m "
    "сон/сна/m век/века/m остров/острова/m поезд/поезда/m голос/голоса/m снег/снега/m "
    "лес/леса/m огонь/огня/m камень/камня/m мост/моста/m свет/света/m день/дня/m "
    "караван/каравана/m перевал/перевала/m колодец/колодца/m степь/степи/f река/реки/f "
    "ночь/ночи/f дорога/дороги/f весна/весны/f звезда/звезды/f память/памяти/f "
    "тайна/тайны/f граница/границы/f любовь/любви/f осень/осени/f зима/зимы/f "
    "песня/песни/f жизнь/жизни/f юрта/юрты/f гора/горы/f земля/земли/f птица/птицы/f "
    "тишина/тишины/f тень/тени/f сказка/сказки/f душа/души/f яблоня/яблони/f "
    "море/моря/n небо/неба/n лето/лета/n солнце/солнца/n озеро/озера/n письмо/письма/n "
    "время/времени/n сердце/сердца/n слово/слова/n утро/утра/n зеркало/зеркала/n поле/поля/n"
)
# masculine/feminine/neuter
RUSSIAN_ADJECTIVES = _w(
    "белый/белая/белое тихий/тихая/тихое последний/последняя/последнее "
    "золотой/золотая/золотое далёкий/далёкая/далёкое синий/синяя/синее "
    "чёрный/чёрная/чёрное вечный/вечная/вечное забытый/забытая/забытое "
    "потерянный/потерянная/потерянное ночной/ночная/ночное зимний/зимняя/зимнее "
    "осенний/осенняя/осеннее горький/горькая/горькое чужой/чужая/чужое "
    "старый/старая/старое новый/новая/новое красный/красная/красное дикий/дикая/дикое "
    "холодный/холодная/холодное долгий/долгая/долгое тайный/тайная/тайное "
    "степной/степная/степное первый/первая/первое странный/странная/странное "
    "светлый/светлая/светлое высокий/высокая/высокое"
)
# nominative/genitive
RUSSIAN_PLACES = _w(
    "Париж/Парижа Москва/Москвы Алматы/Алматы Самарканд/Самарканда Бухара/Бухары "
    "Астана/Астаны Ташкент/Ташкента Одесса/Одессы Петербург/Петербурга Марсель/Марселя "
    "Караганда/Караганды Семей/Семея Туркестан/Туркестана Байконур/Байконура "
    "Бишкек/Бишкека Стамбул/Стамбула Женева/Женевы Венеция/Венеции Шымкент/Шымкента "
    "Лион/Лиона Хива/Хивы Тбилиси/Тбилиси"
)
RUSSIAN_GENRES = _w("роман повесть рассказы стихи сказки воспоминания пьесы новеллы очерки")

# Kazakh nouns: nominative/possessive (третий тұлға): дала → даласы, кітап → кітабы
KAZAKH_NOUNS = _w(
    "дала/даласы түн/түні ән/әні тау/тауы жол/жолы күн/күні аспан/аспаны жыр/жыры "
    "өзен/өзені көл/көлі жүрек/жүрегі құпия/құпиясы аңыз/аңызы кеш/кеші таң/таңы бақ/бағы "
    "үй/үйі қала/қаласы дауыс/дауысы сыр/сыры жұлдыз/жұлдызы бұлақ/бұлағы ай/айы гүл/гүлі "
    "әуен/әуені жел/желі мұра/мұрасы шаһар/шаһары қаһарман/қаһарманы өмір/өмірі "
    "арман/арманы махаббат/махаббаты үміт/үміті сағыныш/сағынышы ана/анасы әке/әкесі "
    "бала/баласы ғасыр/ғасыры тарих/тарихы теңіз/теңізі орман/орманы жаз/жазы қыс/қысы "
    "көктем/көктемі күз/күзі із/ізі от/оты су/суы құс/құсы тұлпар/тұлпары қыран/қыраны "
    "бүркіт/бүркіті алма/алмасы кітап/кітабы дастан/дастаны ел/елі жер/жері көш/көші "
    "жиһан/жиһаны тағдыр/тағдыры сәуле/сәулесі шұғыла/шұғыласы ұя/ұясы дария/дариясы"
)
KAZAKH_ADJECTIVES = _w(
    "ақ қара көк сары қызыл ұлы жас кәрі алтын күміс мәңгі жаңа көне үлкен кішкентай сұлу "
    "ыстық суық түнгі таңғы соңғы алғашқы қасиетті жұмбақ шексіз мөлдір асқақ өшпес тынық "
    "жабайы жалғыз ұмытылған жоғалған күзгі көктемгі қысқы жазғы ғажайып қаһарлы"
)
KAZAKH_PLACES = _p(
    "Алматы|Астана|Түркістан|Отырар|Шымкент|Семей|Қарағанды|Ақтау|Тараз|Арал|Балқаш|"
    "Жетісу|Сарыарқа|Алатау|Көкшетау|Маңғыстау|Ұлытау|Қостанай|Өскемен|Іле|Ертіс|Сырдария|"
    "Париж|Мәскеу"
)
KAZAKH_GENRES = _w(
    "әңгімелер өлеңдер ертегілер повестер естеліктер аңыздар толғаулар хикаялар эсселер "
    "дастандар"
)

ENGLISH_NOUNS = _w(
    "steppe river garden winter road city house wind mountain song sea star letter memory "
    "horse bridge silence orchard caravan border daughter journey"
)
ENGLISH_ADJECTIVES = _w(
    "silent lost white last hidden golden distant broken endless quiet forgotten wild"
)
ENGLISH_PLACES = _p("Almaty|Paris|Samarkand|Bukhara|Astana|Tashkent|Odessa|Lyon|Khiva")

# Non-fiction: Dewey, subject heading, then the title in French, Russian, Kazakh, English.
TOPICS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("958.45", "Kazakhstan -- Histoire", "Histoire du Kazakhstan", "История Казахстана",
     "Қазақстан тарихы", "A History of Kazakhstan"),
    ("944", "France -- Histoire", "Histoire de France", "История Франции",
     "Франция тарихы", "A History of France"),
    ("641.59", "Cuisine -- Asie centrale", "La cuisine d'Asie centrale",
     "Кухня Центральной Азии", "Орталық Азия асханасы", "Central Asian Cooking"),
    ("915.845", "Kazakhstan -- Guides touristiques", "Guide du Kazakhstan",
     "Путеводитель по Казахстану", "Қазақстанға саяхат", "Kazakhstan: a Travel Guide"),
    ("520", "Astronomie", "L'astronomie pour tous", "Астрономия для всех",
     "Баршаға арналған астрономия", "Astronomy for Everyone"),
    ("581.9", "Steppes -- Flore", "Les plantes de la steppe", "Растения степи",
     "Дала өсімдіктері", "Plants of the Steppe"),
    ("599", "Mammifères -- Asie centrale", "Les animaux d'Asie centrale",
     "Животные Центральной Азии", "Орталық Азия жануарлары", "Animals of Central Asia"),
    ("780.9", "Musique -- Histoire", "Histoire de la musique", "История музыки",
     "Музыка тарихы", "A History of Music"),
    ("709", "Art -- Histoire", "Histoire de l'art", "История искусства", "Өнер тарихы",
     "A History of Art"),
    ("150", "Psychologie", "Comprendre la psychologie", "Понять психологию",
     "Психология негіздері", "Understanding Psychology"),
    ("109", "Philosophie -- Histoire", "Petite histoire de la philosophie",
     "Краткая история философии", "Философия тарихы", "A Short History of Philosophy"),
    ("330", "Économie", "L'économie expliquée", "Экономика простыми словами",
     "Экономика негіздері", "Economics Explained"),
    ("398.2", "Contes kazakhs", "Contes kazakhs", "Казахские сказки", "Қазақ ертегілері",
     "Kazakh Folk Tales"),
    ("494.345", "Kazakh (langue) -- Manuels", "Apprendre le kazakh", "Казахский язык для всех",
     "Қазақ тілі оқулығы", "Learning Kazakh"),
    ("491.78", "Russe (langue) -- Manuels", "Le russe sans peine", "Русский язык для начинающих",
     "Орыс тілі оқулығы", "Russian for Beginners"),
    ("443", "Français (langue) -- Dictionnaires", "Dictionnaire français-russe",
     "Французско-русский словарь", "Французша-қазақша сөздік", "French-English Dictionary"),
    ("915.8", "Route de la soie", "Sur la route de la soie", "По Великому шёлковому пути",
     "Ұлы Жібек жолымен", "Along the Silk Road"),
    ("577.6", "Aral, Mer d'", "La mer d'Aral, une catastrophe écologique",
     "Аральское море: экологическая катастрофа", "Арал: экологиялық апат",
     "The Aral Sea Disaster"),
    ("305.8", "Nomades -- Asie centrale", "Les nomades des steppes", "Кочевники степей",
     "Дала көшпенділері", "Nomads of the Steppe"),
    ("796.1", "Jeux traditionnels", "Jeux et sports des nomades", "Игры и спорт кочевников",
     "Ұлттық ойындар", "Games of the Nomads"),
)
TOPIC_ASPECTS = {
    "fre": _p("une introduction|des origines à nos jours|en 100 questions|atlas|chronologie|"
              "idées reçues|guide pratique|regards croisés"),
    "rus": _p("введение|с древнейших времён до наших дней|в 100 вопросах|атлас|хронология|"
              "практическое пособие|очерки"),
    "kaz": _p("кіріспе|ежелгі дәуірден бүгінге дейін|100 сұрақ|атлас|хронология|"
              "оқу құралы|очерктер"),
    "eng": _p("an introduction|from the origins to the present|in 100 questions|an atlas|"
              "a chronology|a practical guide"),
}

FLE_METHODS = _p(
    "Alter Ego +|Édito|Cosmopolite|Défi|Inspire|Latitudes|Saison|Tendances|Écho|Totem|"
    "Adosphère|Zigzag|Nouveau Taxi !|Entre nous|Texto|Grammaire progressive du français|"
    "Vocabulaire progressif du français|Communication progressive du français|"
    "Phonétique progressive du français|ABC DELF|Réussir le DELF|Le DELF 100 % réussite|"
    "Exercices de grammaire en contexte|Civilisation progressive du français"
)
FLE_PARTS = _p("Livre de l'élève|Cahier d'activités|Guide pédagogique|Livre + CD audio")
# series[:writer key[:artist key]] — real series keep their real authors
COMIC_SERIES = _p(
    "Astérix:goscinny:uderzo|Les Aventures de Tintin:herge:herge|L'Arabe du futur:sattouf:sattouf|"
    "Persepolis:satrapi:satrapi|Le Chat du rabbin:sfar:sfar|Les Cahiers d'Esther:sattouf:sattouf|"
    "Lucky Luke|Blake et Mortimer|Les Vieux Fourneaux|Yakari|Spirou et Fantasio|Thorgal|"
    "Largo Winch|Les Nombrils|Aya de Yopougon|Blacksad|Le Petit Spirou|Kid Paddle|"
    "Les Légendaires|Seuls|Les Carnets de Cerise|Mortelle Adèle|Boule et Bill|Cédric"
)
PERIODICALS: tuple[tuple[str, str, str, str], ...] = (
    ("fre", "Le Monde diplomatique", "Le Monde diplomatique", "Paris"),
    ("fre", "Courrier international", "Courrier international", "Paris"),
    ("fre", "Géo", "Prisma Media", "Gennevilliers"),
    ("fre", "Le Français dans le monde", "CLE International", "Paris"),
    ("fre", "Phosphore", "Bayard", "Montrouge"),
    ("fre", "Okapi", "Bayard", "Montrouge"),
    ("fre", "J'aime lire", "Bayard", "Montrouge"),
    ("rus", "Вокруг света", "Вокруг света", "Москва"),
    ("rus", "Караван", "Караван", "Алматы"),
    ("rus", "Наука и жизнь", "Наука и жизнь", "Москва"),
    ("kaz", "Егемен Қазақстан", "Егемен Қазақстан", "Астана"),
    ("kaz", "Жұлдыз", "Жазушы", "Алматы"),
    ("kaz", "Балдырған", "Балдырған", "Алматы"),
    ("kaz", "Ана тілі", "Ана тілі", "Алматы"),
)
GAMES = _p(
    "Dobble|Dixit|Taboo|Scrabble|Time's Up !|Qui est-ce ?|Les Loups-garous de Thiercelieux|"
    "Mille Bornes|Blanc Manger Coco|Codenames|Mot pour mot|Le Lynx"
)
KITS = _p(
    "Mallette pédagogique : la francophonie|Valise DELF Prim|Kit théâtre en classe de FLE|"
    "Mallette : contes du monde|Kit jeux de rôle A1-A2|Valise sonore : chansons françaises"
)

# --- Publishers: language, kind, name, place, country, ISBN or EAN prefix ----------------

PUBLISHERS: tuple[tuple[str, ...], ...] = _table(
    "fre:book:Gallimard:Paris:FR:978207;fre:book:Flammarion:Paris:FR:978208;"
    "fre:book:Le Seuil:Paris:FR:978202;fre:book:Actes Sud:Arles:FR:9782330;"
    "fre:book:Albin Michel:Paris:FR:9782226;fre:book:Grasset:Paris:FR:9782246;"
    "fre:book:Le Livre de poche:Paris:FR:9782253;"
    "fre:book:L'École des loisirs:Paris:FR:9782211;fre:book:P.O.L:Paris:FR:9782818;"
    "fre:book:Presses universitaires de France:Paris:FR:978213;"
    "fre:book:Larousse:Paris:FR:978203;fre:comic:Dargaud:Paris:FR:9782205;"
    "fre:comic:Dupuis:Marcinelle:BE:9782800;fre:comic:Casterman:Bruxelles:BE:9782203;"
    "fre:comic:Le Lombard:Bruxelles:BE:9782803;fre:comic:Glénat:Grenoble:FR:9782723;"
    "fre:comic:Delcourt:Paris:FR:9782756;fre:fle:Hachette FLE:Paris:FR:9782011;"
    "fre:fle:CLE International:Paris:FR:978209;fre:fle:Didier:Paris:FR:9782278;"
    "fre:fle:Maison des langues:Paris:FR:97910;"
    "fre:fle:Presses universitaires de Grenoble:Grenoble:FR:9782706;"
    "fre:audiobook:Audiolib:Paris:FR:9782367;rus:book:Эксмо:Москва:RU:9785699;"
    "rus:book:АСТ:Москва:RU:978517;rus:book:Азбука:Санкт-Петербург:RU:9785389;"
    "rus:book:Росмэн:Москва:RU:9785353;rus:book:Молодая гвардия:Москва:RU:9785235;"
    "rus:book:Фолиант:Астана:KZ:97860129;rus:book:Атамұра:Алматы:KZ:97899653;"
    "rus:comic:Комильфо:Москва:RU:9785916;rus:audiobook:Ардис:Москва:RU:9785786;"
    "kaz:book:Жазушы:Алматы:KZ:97899650;kaz:book:Мектеп:Алматы:KZ:97860107;"
    "kaz:book:Фолиант:Астана:KZ:97860129;kaz:book:Атамұра:Алматы:KZ:97899653;"
    "kaz:book:Қазығұрт:Алматы:KZ:97860180;kaz:book:Ана тілі:Алматы:KZ:97860170;"
    "eng:book:Penguin:London:GB:978014;eng:book:Oxford University Press:Oxford:GB:978019;"
    "eng:book:Vintage:New York:US:9780679;fre:dvd:Gaumont:Paris:FR:33;"
    "fre:dvd:StudioCanal:Paris:FR:35;fre:dvd:Arte Éditions:Paris:FR:37;"
    "rus:dvd:Мосфильм:Москва:RU:460;kaz:dvd:Қазақфильм:Алматы:KZ:4870;"
    "fre:music_cd:Universal Music France:Paris:FR:36;rus:music_cd:Мелодия:Москва:RU:461;"
    "kaz:music_cd:Қазақконцерт:Алматы:KZ:4871;fre:game:Asmodee:Guyancourt:FR:34;"
    "fre:kit:CLE International:Paris:FR:978209;"
)

# --- Subjects and keywords --------------------------------------------------------------

SUBJECTS = _p(
    "Kazakhstan -- Romans|Steppes -- Romans|Littérature kazakhe|Littérature russe|"
    "Littérature française -- 20e siècle|Français (langue) -- Manuels pour allophones|"
    "Bandes dessinées|Nomadisme|Asie centrale -- Civilisation|Almaty (Kazakhstan)|"
    "Enfance -- Romans|Amour -- Romans|Guerre mondiale (1939-1945) -- Romans|"
    "Famille -- Romans|Exil -- Romans|Poésie kazakhe|Contes|Voyages|Identité (psychologie)|"
    "Femmes -- Romans|Romans policiers|Science-fiction|Romans historiques|Humour|"
    "Musique kazakhe|Cinéma français|Chanson française|Jeux de société|Apprentissage des langues"
)
KEYWORDS = _w(
    "steppe amour exil famille enfance mémoire voyage humour policier nomades francophonie "
    "poésie guerre liberté identité nature histoire aventure amitié ville "
    "степь любовь семья детство память путешествие юмор детектив война свобода дружба "
    "дала махаббат отбасы балалық естелік саяхат әзіл соғыс бостандық достық ертегі аңыз"
)

# --- Members' contact details -----------------------------------------------------------

EMAIL_DOMAINS = _w("mail.ru gmail.com yandex.kz inbox.kz mail.kz outlook.com yahoo.fr")
MOBILE_PREFIXES = _w("701 702 705 707 708 747 771 775 776 777 778")
STREETS = _p(
    "ул. Абая|пр. Достык|ул. Толе би|ул. Жибек Жолы|пр. Аль-Фараби|ул. Панфилова|"
    "ул. Кабанбай батыра|ул. Желтоксан|ул. Сатпаева|ул. Богенбай батыра|мкр. Самал-2|"
    "мкр. Орбита-3|ул. Тимирязева|ул. Байтурсынова|пр. Назарбаева"
)

# Cyrillic → Latin for e-mail addresses (Kazakh letters included).
TRANSLIT = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e",
    "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "i", "і": "i", "к": "k", "қ": "q",
    "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "kh", "һ": "h",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya",
}
