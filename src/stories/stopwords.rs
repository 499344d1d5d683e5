//! Stop words for the languages of the default outlets, folded when the sets
//! are built (lower case, accents removed, Cyrillic transliterated) so they
//! compare with folded words.
//!
//! Besides grammar words, each list drops the words news copy uses everywhere
//! ("said", "reported", weekdays) and the follow-up markers ("update", "live"),
//! which say nothing about which event an item reports.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use super::grouper::MixHasher;
use super::lexicon::pack;
use super::normalize::fold;

/// Folded words: the short ones [`pack`]ed into integers (cheaper to hash), the rest as text.
#[derive(Default)]
struct Set {
    short: HashSet<u64, BuildHasherDefault<MixHasher>>,
    long: HashSet<Box<str>, BuildHasherDefault<MixHasher>>,
}

impl Set {
    fn contains(&self, word: &str) -> bool {
        match pack(word) {
            Some(key) => self.short.contains(&key),
            None => self.long.contains(word),
        }
    }
}

const ENGLISH: &str = "a about above after again against ago all almost also am among an and another any are \
around as at be because been before being below between both but by can could did do does doing down during \
each either else even ever every few for from further had has have having he her here hers herself him himself \
his how however i if in into is it its itself just last least less let like made make many may me might more \
most much must my myself near new next no nor not now of off on once one only or other our ours ourselves out \
over own per rather same says said say saying she should since so some still such than that the their theirs \
them themselves then there these they this those though through to told too under until up upon us very via \
was we were what when where whether which while who whom whose why will with within without would yet you your \
yours yourself according reported reports report reporting statement announced news latest update updated \
updates live breaking watch video photos analysis opinion explainer exclusive week weeks year years day days \
today yesterday tomorrow tonight morning evening night monday tuesday wednesday thursday friday saturday sunday \
mr mrs ms percent cent time times first second";

const RUSSIAN: &str = "а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже \
для до его ее если есть еще же за здесь и из или им их к как ко когда кто ли либо между меня мне может мы на над \
надо наш не него нее нет ни них но ну о об однако он она они оно от очень по под после при про с со так также \
такой там те тем то того тоже той только том ты у уже хотя чего чей чем что чтобы эта эти это этого этой этом \
этот я свой своей своего свои своих который которая которое которые которых котором сообщил сообщила сообщили \
заявил заявила заявили сказал сказала сообщает сообщается стало году года лет день дня понедельник вторник среду \
среда четверг пятницу пятница субботу суббота воскресенье обновлено обновление онлайн трансляция новости процентов \
процента процент";

const PORTUGUESE: &str = "a ao aos as ate com como da das de dela dele do dos e ela elas ele eles em entre era essa \
esse esta estao este eu foi foram ha isso isto ja la mais mas me mesmo meu muito na nas nao nem no nos o os ou \
para pela pelas pelo pelos por qual quando que quem se sem ser seu seus sua suas tambem te tem ter um uma umas \
uns disse afirmou segundo nesta neste nessa nesse ano anos dia dias feira segunda terca quarta quinta sexta \
sabado domingo atualizado atualizacao vivo direto ultima hora";

const SPANISH: &str = "a al algo algunos ante antes como con contra cual cuando de del desde donde durante e el \
ella ellas ellos en entre era es esa ese eso esta estaba estan este esto fue fueron ha han hasta hay la las le \
les lo los mas me mi mientras muy nada ni no nos o otra otro para pero poco por porque que quien se sea segun \
ser si sido sin sobre son su sus tambien tan tiene todo todos tras tu un una uno unos y ya dijo afirmo anos ano \
dia dias este esta hoy ayer lunes martes miercoles jueves viernes sabado domingo actualizado actualizacion vivo \
directo ultima hora ciento";

const FRENCH: &str = "a afin ai aie au aux avec avoir c ce ceci cela celle celles celui ces cet cette chez comme \
d dans de des du elle elles en entre est et etait ete etre eu il ils je l la le les leur leurs lui m ma mais me \
meme mes moi mon n ne ni nos notre nous on ont ou par parmi pas pour plus qu que quel quelle qui s sa sans se \
selon ses si son sont sous sur ta te tes toi ton tous tout toute toutes tres tu un une vers vos votre vous y \
apres avant depuis lors dont aussi encore deja a-t-il annonce declare selon ans an jour jours lundi mardi \
mercredi jeudi vendredi samedi dimanche direct mise jour actualise";

const GERMAN: &str = "ab aber alle allem allen aller alles als also am an auch auf aus bei beim bereits bis \
bisher da damit dann das dass dem den denen der des die dies diese diesem diesen dieser dieses doch dort du \
durch ein eine einem einen einer eines er es etwa fur gegen gibt hat hatte haben hier ich ihm ihn ihr ihre im \
in ins ist ja jetzt kann kein keine mit nach nicht noch nun nur ob oder ohne schon sehr sei sein seine seit \
sich sie sind so soll sollen sowie uber um und uns unter vom von vor war waren was weil weiter wenn werden \
wie wieder will wir wird wurde wurden zu zum zur zwischen sagte teilte mit erklarte laut jahr jahre jahren tag \
tage montag dienstag mittwoch donnerstag freitag samstag sonntag aktualisiert liveticker prozent";

const ITALIAN: &str = "a ad al alla alle allo ai agli anche ancora che chi con contro cui da dal dalla dalle \
dai dagli de del della delle dei degli dello di dove e ed era essere fra gli ha hanno i il in la le lo loro ma \
mi ne nei negli nel nella nelle nello no non o per perche piu poi quale quando quello questa questo se sei si \
sia sono su sua sue sul sulla sulle sui suo suoi tra tutti tutto un una uno ha detto secondo anni anno giorno \
lunedi martedi mercoledi giovedi venerdi sabato domenica diretta aggiornamento aggiornato";

/// Words that mark a follow-up of an earlier item from the same outlet (checked on the title).
const FOLLOW_UP: &str = "update updated updates live liveblog обновлено обновление онлайн трансляция actualizado \
actualizacion vivo directo direct actualise aktualisiert liveticker atualizado atualizacao diretta aggiornamento \
aggiornato";

fn set(lists: &[&'static str]) -> Set {
    let mut set = Set::default();
    for word in lists.iter().flat_map(|l| l.split_whitespace()).map(fold) {
        match pack(&word) {
            Some(key) => set.short.insert(key),
            None => set.long.insert(word.into_boxed_str()),
        };
    }
    set
}

/// Whether a folded token is a stop word in any of the supported languages.
pub fn is_stop_word(token: &str) -> bool {
    static WORDS: OnceLock<Set> = OnceLock::new();
    WORDS.get_or_init(|| set(&[ENGLISH, RUSSIAN, PORTUGUESE, SPANISH, FRENCH, GERMAN, ITALIAN])).contains(token)
}

/// Whether a folded title word marks a follow-up ("update", "live", "обновлено", …).
pub fn is_follow_up_marker(token: &str) -> bool {
    static WORDS: OnceLock<Set> = OnceLock::new();
    WORDS.get_or_init(|| set(&[FOLLOW_UP])).contains(token)
}
