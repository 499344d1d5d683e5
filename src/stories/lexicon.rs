//! A small cross-language news vocabulary: the words news copy uses most for
//! the commonest kinds of event, in the languages of the default outlets
//! (English, Russian, Spanish, French, German, Portuguese, Italian), each
//! mapped to one concept token. A Russian and an English report of one event
//! share few words (`ЦБ повысил ключевую ставку` / `central bank raises key
//! rate`), but once both sides' words become concepts (`=central =bank =rise
//! =key =rate`) and names are transliterated they share enough to match.
//!
//! How it was chosen: by kind of news, not from any set of test items —
//! politics and law, war and security, disasters and accidents, the economy,
//! health, transport, sport, calendar words (months), small numbers written
//! as words, and the countries, capitals and bodies that appear most in
//! international news. Each concept lists its usual words (a noun, and a verb
//! or adjective where news copy uses one) in each language; every word is cut
//! to its stem the way item text is ([`super::normalize::stem`]), so one
//! entry covers a word's inflected forms. Words whose stem would be shared
//! with another concept, or with a common unrelated word, were left out (see
//! the test `lexicon_stems_do_not_collide`).
//!
//! Number words become digits (`six`, `шести`, `seis` → `6`), so they meet a
//! written number.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use super::grouper::MixHasher;
use super::normalize::{for_each_word, stem};

/// One concept per line: its token (or tokens, for an abbreviation that
/// stands for several words), a colon, then its words in any of the languages
/// (any case and accents; Cyrillic as written).
const CONCEPTS: &str = "
=president: president presidents президент presidente président präsident presidenza
=minister: minister ministers ministry министр министерство ministro ministerio ministre ministère ministerium ministero
=premier: premier премьер премьерминистр
=government: government governments правительство власти gobierno gouvernement governo
=parliament: parliament parliamentary lawmakers парламент депутаты parlamento parlement parlamentarier deputados deputati
=senate: senate senator senators сенат сенатор senado sénat senat senato
=congress: congress congressional конгресс congreso congrès kongress congresso
=election: election elections electoral выборы выборов избирательный elecciones élection élections wahl wahlen eleição eleições elezioni vote votes voted voting voters голосование проголосовали избиратели votación votantes scrutin électeurs wähler votação eleitores votazione elettori
=candidate: candidate candidates кандидат candidato candidat kandidat
=party: party parties партия партии partido parti partei partito
=opposition: opposition оппозиция oposición opposizione oposição
=leader: leader leaders лидер líder dirigeant anführer
=king: king королевский король roi könig rei re
=pope: pope папа papa pape papst
=law: law laws закон законопроект законодательство ley lei loi gesetz legge
=court: court courts tribunal суд судом cour gericht tribunale judge judges судья juez juge richter juiz giudice
=verdict: verdict convicted conviction приговор приговорили осужден condena condenado condamné condamnation urteil verurteilt condenação condannato
=prison: prison prisons prisoner prisoners jail jailed captivity captive тюрьма тюрьмы тюремный колония колонии плен пленные пленными заключенные cárcel prisión prisionero prisonnier prisonniers gefängnis haft gefangene gefangenen prisão prisioneiro carcere
=arrest: arrest arrested detention арест арестован арестовали задержан задержали задержание detenido detenidos arresto detención arrestation festgenommen festnahme detido arrestato arrestati fermato
=investigation: investigation investigators probe inquiry расследование следствие следователи investigación enquête ermittlungen ermittler investigação indagine inchiesta
=police: police policeman policía polizei polícia polizia
=prosecutor: prosecutor prosecutors prosecution прокурор прокуратура fiscalía procureur parquet staatsanwalt staatsanwaltschaft procuratore
=charge: charged charges accused обвинение обвинили обвиняемый acusado acusación accusé inculpé angeklagt anklage acusação accusato
=journalist: journalist journalists reporter reporters журналист журналиста журналисты journaliste journalisten jornalista giornalista media newspaper сми газета medios médias journal zeitung jornal giornale
=sanctions: sanctions sanctioned санкции санкций sanciones sancionar sanktionen sanções sanzioni
=treaty: treaty agreement agreements deal accord pact договор соглашение пакт acuerdo tratado pacto traité abkommen vertrag pakt acordo accordo trattato patto
=talks: talks negotiations negotiators переговоры negociaciones négociations pourparlers verhandlungen gespräche negociações negoziati
=summit: summit саммит cumbre sommet gipfel cúpula cimeira
=meeting: meeting meet meets встреча встретился встретились reunión encuentro rencontre réunion treffen trifft reunião encontro incontro
=visit: visit visits visited визит визитом посетил visita visite besuch besucht
=ceasefire: ceasefire truce перемирие прекращение tregua cessezlefeu trêve cessarfogo trégua
=peace: peace мир мира paz paix frieden pace
=war: war wars wartime война войны войне guerra guerre krieg kriegs
=military: military army armed arms troops soldiers servicemen армия военные военных войска войск солдаты военнослужащие военнослужащих ejército militar militares tropas soldados armée militaire militaires troupes soldats armee militär truppen soldaten exército esercito militare truppe soldati weapon weapons оружие вооружения armas armes waffen armi
=defence: defence defense defend оборона обороны обороне defensa défense verteidigung difesa
=attack: attack attacks attacked assault raid raids атака атаки атаковали нападение налет ataques attaque attaques angriff angriffe anschlag attacchi
=bombing: bombing bombardment shelling обстрел обстрелы бомбардировка bombardeo bombardement bombardierung bombardeio bombardamento
=missile: missile missiles rocket rockets ракета ракеты ракетный misil misiles cohete roquette rakete raketen míssil foguete razzo
=drone: drone drones беспилотник беспилотники беспилотников дрон дроны dron drohne drohnen
=downed: downed сбит сбиты сбили сбито перехвачены abattu abattus abgeschossen abgefangen abatido abbattuto abbattuti
=nuclear: nuclear ядерный ядерного атомный nucléaire atomwaffen nuklear nucleare
=shooting: shooting gunman gunfire стрельба стрелок tiroteo fusillade tiroteio sparatoria
=hostage: hostage hostages заложник заложники rehén rehenes otage otages geisel geiseln refém reféns ostaggio ostaggi
=exchange: exchange exchanged swap swapped обмен обменялись canje échange austausch troca scambio
=release: released freed освобождены освободили освобождение liberados liberación libéré libérés libération freigelassen freilassung libertados libertação liberati rilasciati
=dead: killed kill kills killing killings погибли погиб погибших убиты убит убили гибель muertos mueren murieron tués tué getötet ums mortos morreram uccisi dead death deaths died dies fatalities toll смерть погибшие жертвы жертв умер умерли muerto muerte fallecidos mort morts tote toten tod todesopfer morte morti obituary скончался скончалась fallece décédé gestorben falece
=injured: injured wounded hurt injuries раненые ранены раненых пострадали пострадавших heridos herido blessés blessé verletzte verletzt feridos ferido feriti ferito
=rescue: rescue rescued rescuers спасатели спасены спасли rescate rescatados sauvetage rettung gerettet retter resgate soccorso soccorritori
=missing: пропавшие пропали desaparecidos disparus vermisst vermisste dispersi
=evacuation: evacuation evacuated evacuate эвакуация эвакуированы evacuación evacuados évacuation évacués evakuierung evakuiert evacuação evacuazione
=earthquake: earthquake earthquakes quake quakes tremor землетрясение землетрясения толчки sismo séisme tremblement erdbeben beben
=flood: flood floods flooding наводнение наводнения паводок inundación inundaciones inondation inondations crue überschwemmung hochwasser enchente enchentes inundação alluvione inondazione
=storm: storm storms hurricane typhoon cyclone шторм ураган тайфун циклон tormenta huracán tifón ciclón tempête ouragan typhon sturm orkan hurrikan taifun tempestade furacão tufão tempesta uragano tifone
=fire: fire fires wildfire wildfires blaze пожар пожары incendio incendios incendie incendies feu brand brände waldbrand incêndio incêndios incendi
=explosion: explosion explosions blast взрыв взрыва взрывы explosión explosão esplosione
=volcano: volcano eruption erupted вулкан извержение volcán erupción volcan éruption vulkan vulcão erupção vulcano eruzione
=avalanche: avalanche лавина avalancha lawine valanga
=climate: climate климат климата climat klima
=crash: crash crashed collision collided авария аварии крушение катастрофа столкновение столкнулись accidente choque colisión accident unglück zusammenstoß kollision acidente colisão incidente scontro
=train: train trains railway rail поезд поезда железная tren trenes ferrocarril zug züge bahn comboio treno treni ferrovia
=plane: plane planes aircraft jet самолет самолета самолеты avión aviones aeronave avion avions flugzeug flugzeuge avião aviões aereo aerei
=airport: airport airports аэропорт аэропорты аэропортов aeropuerto aeropuertos aéroport aéroports flughafen flughäfen aeroporto aeroporti
=flight: flight flights рейс рейсы рейсов полеты vuelo vuelos vol vols flug flüge voo voos volo voli
=airline: airline airlines авиакомпания авиакомпании aerolínea aerolíneas fluggesellschaft
=ship: ship ships vessel vessels tanker корабль судно танкер barco buque navire schiff schiffe navio nave
=launch: launch launched запуск запустили lanzamiento lanzó lancement lancé lançamento lancio
=space: space spacecraft космос космический espacio espace weltraum espaço spazio
=satellite: satellite satellites спутник спутники satélite satellit
=hack: hack hacked hackers hacker cyberattack хакеры хакер кибератака hackeo ciberataque cyberattaque hackerangriff cyberangriff
=outage: outage outages blackout сбой сбои panne pannes ausfall störung apagão apagón guasto
=central =bank: цб
=ecb: ecb ezb bce ецб
=fed: fed фрс
=central: central centre center центральный центр centrale zentral zentralbank
=bank: bank banks банк банка банки banco bancos banque banques banken banca banche
=rate: rate rates ставка ставки ставку tasa tasas taux zins zinsen leitzins zinssatz juros tasso tassi
=key: key ключевая ключевую ключевой clave clé chave chiave
=rise: raise raises raised hike hikes hiked increase increased increases rise rises rising повысил повысила повышение повысить рост увеличил sube subió aumenta aumento eleva elevó relève augmente augmentation erhöht erhöhung anhebung steigt aumentou alza rialzo growth роста crecimiento croissance wachstum crescimento crescita
=cut: cut cuts lower lowers lowered lowering reduce reduced снизил снизила снижение снизить сократил rebaja baisse abaisse réduit senkt senkung kürzt reduz redução taglia taglio riduce
=inflation: inflation инфляция инфляции inflación inflação inflazione
=prices: price prices цены цен precios prix preços prezzi
=economy: economy economic экономика экономики экономический economía économie wirtschaft economia
=recession: recession рецессия recesión récession rezession recessão recessione
=gdp: gdp ввп pib bip pil
=unemployment: unemployment jobless безработица desempleo chômage arbeitslosigkeit desemprego disoccupazione
=budget: budget бюджет бюджета haushalt orçamento bilancio
=tax: tax taxes налог налоги налогов impuesto impuestos impôt impôts steuer steuern imposto impostos imposta imposte
=tariffs: tariff tariffs duties пошлины пошлин тарифы aranceles arancel douane zölle zoll tarifas dazi
=oil: oil нефть нефти ölpreis
=stocks: stocks shares stock equities акции биржа bolsa bourse aktien börse ações borsa azioni
=market: market markets рынок рынка рынки mercado mercados markt märkte mercato mercati
=ruble: ruble rubles rouble roubles рубль рубля рублей rublo rublos rubel
=euro: euro euros евро
=debt: debt debts долг долга deuda dette dívida debito
=company: company companies компания компании empresa empresas entreprise azienda aziende
=workers: workers employees работники рабочие trabajadores travailleurs salariés beschäftigte trabalhadores lavoratori
=strike: strikers walkout забастовка huelga grève streik greve sciopero
=protest: protest protests protesters demonstrators demonstration rally протест протесты протестующие митинг демонстрация protesta protestas manifestación manifestantes manifestation manifestants kundgebung demonstranten proteste protesto manifestação manifestazione
=refugees: refugee refugees migrants migrant asylum беженцы беженцев мигранты мигрантов убежище refugiados migrantes asilo réfugiés asile flüchtlinge migranten asyl migranti
=border: border borders граница границы границе grenze grenzen
=hospital: hospital hospitals hospitalised больница больницы госпиталь hospitalizados hôpital hôpitaux krankenhaus krankenhäuser ospedale ospedali
=health: health здоровье здравоохранения salud santé gesundheit saúde salute
=virus: virus viruses вирус вируса
=outbreak: outbreak outbreaks вспышка brote épidémie surto focolaio epidemic epidemia эпидемия
=vaccine: vaccine vaccines vaccination вакцина вакцины вакцинация vacuna vacunas vaccin vaccins impfstoff impfung vacina vacinas vaccino vaccini
=school: school schools школа школы escuela école schule escola scuola
=students: students student студенты учащиеся estudiantes étudiants studenten estudantes studenti
=children: children child kids дети детей ребенок enfants kinder crianças bambini
=women: women woman женщины женщина mujeres mujer femmes femme frauen frau mulheres donne
=record: record records рекорд рекордный récord rekord recorde
=win: win wins won winner victory побед победа победил победила победу gana ganó victoria vainqueur victoire gagne gewinnt gewann sieg vence venceu vitória vince vittoria
=defeat: поражение проиграл derrota derrotado défaite battu niederlage sconfitta
=final: final finals финал финале finale finalen
=championship: championship champion champions чемпионат чемпион чемпионы campeonato campeón championnat meisterschaft weltmeister campeão campionato campione
=cup: cup кубок кубка copa coupe pokal taça coppa
=football: football футбол футбольный fútbol fußball futebol calcio
=olympics: olympic olympics олимпиада олимпийских olímpico olímpicos olympique olympiques olympia olympischen olimpiadi olimpico
=film: film films movie фильм фильма película cinéma filme
=festival: festival фестиваль festivals
=museum: museum музей museo musée museu
=appointed: appointed appoints nominated назначен назначила назначил nombrado nommé ernannt nomeado nominato
=resign: resign resigns resigned resignation отставка отставку отставке dimite dimisión démission démissionne rücktritt zurückgetreten demissão renuncia dimissioni
=approve: approve approves approved approval одобрил одобрила одобрили одобрение утвердил утвердила aprueba aprobó aprobación approuve approuvé approbation genehmigt aprova aprovou aprovação approva approvato approvazione
=ban: ban bans banned запрет запретил запретили prohíbe prohibición verbot verbietet proíbe proibição divieto vieta
=signed: sign signs signed signing подписали подписал подписание signé signent assinou assinaram assinatura
=announce: announces unveiled объявил объявила anuncia anunció kündigt annuncia
=warn: warn warns warned warning предупредил предупреждение advierte avertit warnt alerta avverte
=emergency: emergency чрезвычайное чрезвычайная чс emergencia urgence notstand emergência emergenza
=crisis: crisis кризис кризиса crise krise crisi
=fraud: fraud corruption bribery мошенничество коррупция взятка fraude corrupción korruption betrug corrupção corruzione
=spy: spy spying espionage шпион шпионаж espía espionaje espion espionnage spion spionage espião spia spionaggio
=treason: treason госизмена измена traición trahison hochverrat traição tradimento
=agent: agent agents агент иноагент иноагентом иноагентов agente agentes
=foreign: foreign иностранный иностранным иностранных extranjero étranger ausländisch estrangeiro straniero
=exile: exile exiled эмиграция изгнание exilio exilé exil exílio esilio
=bridge: bridge мост моста puente pont brücke ponte
=dam: dam плотина barrage staudamm barragem diga
=pipeline: pipeline газопровод gasoducto oleoducto gazoduc gasoduto gasdotto
=power: power электроэнергия электричество энергосистема электроснабжение strom
=grid: grid сеть сети
=nuclearplant: reactor реактор aes аэс réacteur reaktor atomkraftwerk reattore
=university: university университет universidad université universität universidade università
=scientists: scientists researchers ученые исследователи científicos chercheurs forscher wissenschaftler cientistas ricercatori scienziati
=capital: capital столица столицы capitale hauptstadt
=city: city город города ciudad ville stadt cidade città
=region: region regional регион региона области oblast región région bundesland regione
=island: island islands остров острова isla islas île insel ilha isola
=coast: coast coastal coastline побережье побережья costa côte küste
=sea: sea море моря mer meer mare
=mountain: mountain mountains горы гора montaña montagne berg berge montanha montagna
=weather: weather погода météo wetter
=snow: snow снег снегопад nieve neige schnee neve
=rain: rain rains rainfall дождь дожди ливни lluvia lluvias pluie pluies regen chuva piogge pioggia
=heat: heatwave heat жара зной calor canicule hitze hitzewelle caldo
=drought: drought засуха sequía dürre siccità
=million: million millions billion billions bn mn trillion миллион миллиона миллионов миллиард миллиарда миллиардов триллион millón millones millardo milliard milliards milliarde milliarden milhão milhões bilhão bilhões milione milioni miliardo miliardi
=thousand: thousand thousands тысяча тысячи тысяч tausend tausende migliaia
=hundred: hundred hundreds cien hundert hunderte
=dollar: dollar dollars доллар доллара долларов dólar dólares dollaro dollari
=russia: russia russian russians россия россии российский российская российские российских русский русские rusia ruso rusos rusa russie russe russes russland russisch russen rússia russo
=ukraine: ukraine ukrainian украина украины украинский украинские украинских ucrania ucraniano ucraniana ukrainien ukrainienne ukrainisch ucrânia ucraina ucraino
=usa: usa сша америка американский american americans americanos américain américains amerikanisch amerikaner estadunidense americani eeuu
=china: china chinese китай китая китайский китайские chino chinois chinoise chinesisch chinês cina cinese
=japan: japan japanese япония японии японский japón japonés japon japonais japanisch japão japonês giappone giapponese
=korea: korea korean корея кореи корейский corea coreano corée coréen koreanisch coreia
=north: north northern северный северная севера северной norte nord nördlich
=south: south southern южный южная юга южной sur südlich sul meridionale
=germany: germany german германия германии немецкий alemania alemán allemagne allemand deutschland deutsch deutsche alemanha alemão germania tedesco
=france: france french франция франции французский francia francés français frankreich französisch frança francês francese
=britain: britain british uk великобритания британия британии британский reino unido británico royaume britannique großbritannien britisch britânico britannico
=italy: italy italian италия италии итальянский italia italiano italie italien italienisch itália
=spain: spain spanish испания испании испанский españa español espagne espagnol spanien spanisch espanha espanhol spagna spagnolo
=europe: europe european европа европы европейский europa europeo europea européen européenne europäisch europeu
=eu: eu ес ue
=nato: nato нато otan
=un: onu оон
=iran: iran iranian иран ирана иранский irán iraní iranien iranisch irã iraniano
=israel: israel israeli israelis израиль израиля израильский israelí israélien israélienne israelisch israelense israeliano
=palestinian: palestinian palestinians палестинцы палестинский palestino palestinien palästinenser palestiniano palestinese
=syria: syria syrian сирия сирии сирийский siria sirio syrie syrien syrisch síria siriano
=turkey: turkey turkish турция турции турецкий turquía turco turquie turc türkei türkisch turquia turchia
=india: india indian индия индии индийский indio inde indien indisch índia indiano
=belarus: belarus belarusian беларусь белоруссия белорусский bielorrusia biélorussie bielorrússia bielorussia
=poland: poland polish польша польши польский polonia polaco pologne polonais polen polnisch polônia polónia polacco
=brazil: brazil brazilian бразилия бразилии бразильский brasil brasileño brésil brésilien brasilien brasilianisch brasileiro brasile brasiliano
=mexico: mexico mexican мексика мексики мексиканский méxico mexicano mexique mexicain mexiko mexikanisch messico messicano
=moscow: moscow москва москвы москве московский moscú moscou moskau mosca
=kyiv: kyiv kiev киев киева киеве kiew kiiv
=washington: washington вашингтон вашингтона
=beijing: beijing пекин пекина pekín pékin peking pequim pechino
=london: london лондон лондона londres londra
=paris: paris париж парижа parigi
=berlin: berlin берлин берлина berlino
=rome: rome рим рима roma rom
=brussels: brussels брюссель брюсселя bruselas bruxelles brüssel bruxelas
=kremlin: kremlin кремль кремля cremlino
=january: january jan январь января enero janvier januar janeiro gennaio
=february: february feb февраль февраля febrero février februar fevereiro febbraio
=march: march марта mart marzo märz março
=april: april апрель апреля abril avril aprile
=may: мая mayo mai maio maggio
=june: june jun июнь июня junio juin juni junho giugno
=july: july jul июль июля julio juillet juli julho luglio
=august: august aug август августа agosto août
=september: september sept septiembre septembre setembro settembre
=october: october oct октябрь октября octubre octobre oktober outubro ottobre
=november: november nov ноябрь ноября noviembre novembre
=december: december декабрь декабря diciembre décembre dezember dezembro dicembre
2: two двое двух два две deux zwei
3: three трое трех три trois drei
4: four четыре четырех четверо cuatro quatre vier quatro quattro
5: five пять пяти пятеро cinco cinq fünf cinque
6: six шесть шести шестеро seis sechs
7: seven семь семи siete sieben
8: eight восемь восьми ocho huit acht oito otto
9: nine девять девяти nueve neuf neun
10: ten десять десяти diez zehn dieci
12: twelve двенадцать doce douze zwölf dodici
20: twenty двадцать veinte vingt zwanzig vinte venti
100: сто
";

/// Stems (at most 8 bytes: [`pack`]ed) → concept token(s).
type Map = HashMap<u64, &'static str, BuildHasherDefault<MixHasher>>;

/// A short ASCII word as one integer (its bytes, little endian, zero padded),
/// for a map lookup that hashes one integer instead of a string; `None` for a
/// longer or non-ASCII word.
pub(crate) fn pack(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    if bytes.len() > 8 || !word.is_ascii() {
        return None;
    }
    let mut buf = [0u8; 8];
    buf[..bytes.len()].copy_from_slice(bytes);
    Some(u64::from_le_bytes(buf))
}

/// Every stem of the lexicon with its concept token, and the stems claimed by
/// two concepts (the first one kept).
fn build() -> (Map, Vec<(String, &'static str, &'static str)>) {
    let mut map = Map::default();
    let mut clashes = Vec::new();
    for line in CONCEPTS.lines() {
        let Some((token, words)) = line.split_once(':') else { continue };
        for word in words.split_whitespace() {
            for_each_word(word, |w| {
                let s = stem(w);
                let key = pack(s).unwrap_or_else(|| panic!("lexicon stem {s:?} is not short ASCII"));
                match map.get(&key) {
                    Some(&other) if other != token => clashes.push((s.to_string(), other, token)),
                    Some(_) => {}
                    None => {
                        map.insert(key, token);
                    }
                }
            });
        }
    }
    (map, clashes)
}

fn map() -> &'static Map {
    static MAP: OnceLock<Map> = OnceLock::new();
    MAP.get_or_init(|| build().0)
}

/// The concept token of a stem, if the lexicon knows it (several tokens are
/// separated by a space).
pub fn concept(stem: &str) -> Option<&'static str> {
    map().get(&pack(stem)?).copied()
}

/// Stems two concepts both claim (tests).
#[cfg(test)]
pub(crate) fn clashes() -> Vec<(String, &'static str, &'static str)> {
    build().1
}

/// The number of concepts and of stems (tests and the evaluation).
pub fn size() -> (usize, usize) {
    let m = map();
    let mut concepts: Vec<&str> = m.values().copied().collect();
    concepts.sort_unstable();
    concepts.dedup();
    (concepts.len(), m.len())
}
