/**
 * Don't-know and decline answers ("en osaa sanoa", "EOS", "kerron myöhemmin", "skip", "n/a",
 * "I'd rather not answer"). They give no category and are not `other`. The rules here need no
 * model; the normaliser adds a learned detector trained on `data/training/dontknow.jsonl` and
 * refuses don't-know when the answer also names a category ("en tiedä, ehkä rahoitus").
 */
import { fold, tokenize } from './text.js';

/** Phrases that say "I don't know / won't answer", on folded text (no ä/ö), word-bounded. */
const PHRASES: RegExp[] = [
  // Finnish: "en" + a verb of knowing, saying or answering (also "enpä", "enkä").
  // An adverb may sit between: "en oikein tiedä", "en ihan varmaksi osaa sanoa".
  /\b(en|etten|enka)(pa|ka)? ?((oikein|ihan|yhtaan|nyt|kylla|juuri|tarkalleen|tarkkaan|varmaksi|suoraan|taida) )?(osaa|osannut|tieda|tiia|tii|tieda|muista|ole (\w+ ){0,2}(varma|perilla|kartalla)|oo varma|pysty|halua|hlaua|kerro|vastaa|kommentoi|tunne|ota kantaa|viitsi|haluaisi)/,
  /\bei (mitaan |juuri )?(sanottavaa|lisattavaa|kommentoitavaa)\b|\bei tule (mitaan )?mieleen\b/,
  /\b(eos|emt|ent ieda|enosaa|en tii)\b/,
  /\bei (tietoa|tiedossa|aavistustakaan|aavistusta|hajuakaan|hajua|kasitysta|kommenttia|vastausta|mielipidetta|oo tietoa|ole tietoa|mitaan tietoa|kuulu (sinulle|teille|sulle))\b/,
  /\b(vaikea|vaikee|vaikeaa|hankala|hankalaa|mahdoton|mahdotonta|liian aikaista) (sanoa|sanoo|sannoa|arvioida|vastata|arvioi|sanoa)\b/,
  /\b(ohita|ohitan|ohitetaan|ohitetaan|skippaa|skipataan|hypataan|hyppaan|seuraavaan|seuraava kysymys|mennaan eteenpain|jatketaan eteenpain)\b/,
  /\b(jatan|jatetaan|jata|jatan taman) .{0,20}\b(valiin|tyhjaksi|vastaamatta)\b/,
  /\b(kerron|palaan|palataan|vastaan|tarkistan|tarkistetaan|selvitan|kysyn|mietin|katson|katsotaan) .{0,30}\b(myohemmin|asiaan|tahan|palaan|palataan)\b/,
  /\b(kerron|vastaan|palaan|palataan) (myohemmin|asiaan|tahan)\b/,
  /\b(pitaa|taytyy|pitaisi|taytyisi|tarvitsee) (tarkistaa|tarkastaa|kysya|selvittaa|katsoa)\b/,
  /\bei (mitaan )?(kasitysta|kommentoitavaa|kommenttai)\b|\btieda hanta\b|\ben (lahde )?arvail|\ben ole (oikea henkilo|perehtynyt)\b/,
  /\bei (ole|oo) (tietoa|tietoo)\b|\bei ole (tahan )?vastausta\b|\bliian vaikea\b|\bpitaa miettia\b|\bjatetaan .{0,12}auki\b|\ben (osa|tida|tieda)\b|\bei osaa sanoa\b/,
  /\b(minulla |mulla |meilla |mulla )?ei (ole|oo) (minulla |mulla |meilla )?(mitaan |yhtaan )?(hajua|hajuakaan|aavistusta|aavistustakaan|kasitysta|tietoa|tietoo|nakemysta|mielipidetta)\b|\bkysy (joku|joltain|joltakin|joku toinen|joku muu) ?(muu|muulta|toiselta)?\b/,
  /\bei (osaa|osaa) (sanoa|sanoo)\b|^ ei kantaa $|\ben ole (\w+ )?(kuullut|nahnyt|lukenut) (mitaan|tasta|siita)\b|\bsiita en ole kuullut\b/,
  /\ben ole ollut mukana (niissa|naissa|siina|tassa|tuossa)\b|\byli (minun )?(tietamykseni|ymmarrykseni|osaamiseni)\b|\btiedan (liian|aivan liian) vahan\b|\bei koske (minun |mun )?(tyotani|tehtaviani|tonttiani)\b|\bei kuulu (minun |mun )?(vastuualueeseeni|tehtaviini|tontilleni|alaani)\b/,
  /\bei (ole|oo) (minun |mun )?(heinia|heiniani|alaa|alaani|tonttia|tonttiani)\b|\b(emma|ema|mina en|ma en) (tiia|tieda|tii|osaa)\b|\ben (uskalla|rohkene) (vastata|sanoa|arvioida|arvata)\b|\bei (ole|oo) tiedossa\b/,
  /\bmenee (minulta|multa|minulla) ohi\b|\ben ole seurannut\b|\betten (lahde )?arvail|\bjoku muu (on )?parempi\b|\bparempi vastaamaan\b|\bei (mitaan |yhtaan )(hajua|hajuakaan|aavistusta|tietoa)\b|\ben ole oikea ihminen\b|\bei (ole|oo) (\w+ ){1,2}(tietoa|hajua|aavistusta)\b/,
  /\b(kuka tietaa|mista mina tietaisin|mista ma tietaisin|mene ja tieda|kysy joltain|kysykaa joltain|ei oo mun tontilla|ei ole minun tontillani|asia ei ole tiedossani|ei ole tiedossani)\b/,
  // New in the job, someone else's area: "olen ollut tehtävässä vasta pari viikkoa", "enemmän kansliapäällikön aluetta".
  /\b(olen|oon) ollut (\w+ ){0,2}vasta (\w+ )?(paivan|paivia|viikon|viikkoa|viikot|kuukauden|kuukautta|kuukaudet|hetken)\b|\b(aloitin|tulin taloon|tulin tehtavaan) (\w+ )?(vasta|juuri)\b|\bvasta aloittanut\b|\b(tama|tuo|se) on (enemman |lahinna |pikemminkin )?(\w+ ){0,2}(aluetta|alaa|tonttia|heinia|pöytaa|poytaa)\b/,
  // Not understanding or not caring to answer ("En jaksa vastata" is also no typo of Jämsä).
  /\ben (oikein )?(ymmarra|tajua) (\w+ )?kysymy|^ (mita tarkoitat|mita tarkoitatte|ihan sama)\b|\b(en|ei nyt|ei) jaksa (vastata|miettia|nyt)\b|^ (en|ei nyt|ei) jaksa $|\bkysymys on (liian )?(epaselva|laaja|epamaarainen)\b/,
  // "Ei koske minua" and "Kysy ensi kerralla" are no typos of Koski or Kerava.
  /\bei (koske|liity) (minua|mua|minuun|muhun)\b|\bkysy (\w+ )?(ensi kerralla|myohemmin|uudestaan)\b|^ jatketaan $|\bei (ole |oo )(mitaan |juuri )?(sanottavaa|lisattavaa|kommentoitavaa)\b/,
  /\byli (minun |mun )?(ymmarryksen|ymmarrykseni|tietamyksen|tietamykseni)\b|\bkysyisin (mieluummin )?(kollegalta|joltain|muilta|joltakulta)\b/,
  // Stand-in set, sixth round: "en voi sanoa", "luottamuksellista", "ennen minun aikaani", "olen (vasta) uusi".
  /\b(en|ei) voi (sanoa|kertoa|vastata|kommentoida|arvioida)\b|\b(on|ovat) luottamuksellis(ta|ia)\b|^ luottamuksellis\w* $|\bennen (minun|mun) aikaani?\b|\b(olen|oon) (niin |ihan |vasta |aika )?uusi( talossa| tehtavassa| tassa)?\b|\ben ole ajan tasalla\b|\ben (ole|oo) (\w+ )?asiantuntija\b|\b(selvitan|kysyn|tarkistan) (\w+ ){0,2}ja (ilmoitan|kerron|palaan)\b|\ben oo kartalla\b/,
  // English
  // Present tense only: "we didn't know what would happen" is an answer (uncertainty), not a don't-know.
  /\b(i )?(do not|don t|dont) (really )?(know|knwo|kno|remember)\b/,
  /\b(dunno|idk|no idea|not sure|not shure|unsure|no clue|not a clue|no comment|no coment|not applicable|no opinion|beats me|who knows)\b/,
  // Skip / pass / later decline as the whole answer or with a decline frame ("I'll pass", "skip
  // this"), not inside an answer ("we decided to pass on robotics", "left for later").
  /^ (ok |okay |sorry |hmm |um |please |just )?(i ll |i |let s |lets |we ll |can we |could we |gonna |going to )?(skip|skp|pass|passs|later|blank|unknown)( it| this| that| this one| that one| for now| please| thanks| thank you| question| the question| on this| on that| sorry| again)* $/,
  /\b(i ll|i will|i d|let s|lets|we ll|can we|could we|please|just) (skip|pass)\b|\bskip (this|that|it|the question|question|for now)\b|\b(rather|prefer to) (skip|pass)\b|\b(skippaan|skippaa|ohitaa)\b|\b(tell|say|answer|reply|respond|fill (it|this) in|fill in|do (it|this)|get to (it|this)|ask me) (you |this |it |that )?later\b|\bconfidential\b|\bunknown to me\b|\bnext (one|please)\b/,
  /^ (next|later|x|ohi|myohemmin|ei nyt|tyhja|no answer|ei vastausta|next question) $/,
  /\bnext question\b|\bno answer\b|\bnot known\b|\bno view\b|\byour guess( is as good as mine)?\b|\bask someone else\b|\bunable to (answer|say)\b/,
  /\b(don t|do not|dont) want to (answer|guess|say|comment)\b|\bhaven t got a clue\b|\bcan t disclose\b|\bnot something i can share\b/,
  /\bleave (this|it)( one)? (empty|blank)\b|\bdont no\b|\bno ide\b|\brathr not\b/,
  /\bn ?a\b/,
  /\b(rather not|prefer not|would not like to|not comfortable|decline to|won t answer|will not answer)\b/,
  /\b(can t|cannot|can not|couldn t|could not) (really )?(say|tell|answer|comment|remember)\b/,
  /\b(hard|difficult|tough|too early|impossible) to (say|tell|answer|judge)\b/,
  /\b(have|need|ll have|d have|must) to (check|ask|find out|look)\b|\bneed to check\b|\bcheck first\b/,
  /\b(come|get) back (to|on) (this|that|you|it)\b|\bmove on\b|\banswer later\b/,
  /\bnothing (more |else |much )?to (add|say)\b|\bnot (really )?(across|familiar with) (this|that|it|the)\b|\b(nothing|none) (comes|springs) to mind\b/,
  /\boutside (of )?my (area|remit|field|expertise|responsibility)\b|\b(wasn t|was not) (involved|here)\b|\bbefore my time\b|\bpass on (this|that)\b|\bwon t comment\b/,
  /\babove my pay ?grade\b|\bnot in a position to (say|answer|comment|judge|tell)\b|\bhaven t (got )?a clue\b|\bnot a clue\b/,
  // "I don't have that information" declines; "we don't have the data" (a challenge) does not: "I" only.
  /\bi (don t|do not|dont) have (that|this|the|any|such) (information|info|figures?|numbers?|details?)\b|\bi ll leave (that|this)( one)?\b|\bnot something i (follow|know about|deal with|handle)\b/,
  /\b(wasn t|was not|wasnt) (part of|in) (those|these|that|the) (discussions?|meetings?|talks)\b|\b(a )?question for (my|a|the|our) (colleague|colleagues)\b|\b(don t|do not) feel qualified\b|\bnot qualified to\b|\btoo new (here )?to (know|say|tell|answer)\b|\bbe making (it|this) up\b/,
  /\bnot the (best|correct|right) person\b|\bleave (this|it|that) out\b|\bnot aware of (the details|this|that|it)\b|\bfor someone else to (answer|say)\b|\b(don t|do not|dont) have (enough |much |any )?(insight|visibility)\b|\bno insight\b|\bunclear to me\b/,
  /\bno way (of|to) know(ing)?\b|\bno (strong |real |particular )?(view|opinion)s?( either way)?\b|\bhave an opinion on\b|\bdrawing a blank\b|\bwould( not|n t) know\b|\b(information|info) i (have|hold)\b|\bcan t help (you )?(with|on) (this|that)\b|\bdefer to (my |our )?colleagues?\b|\bthe wrong person\b/,
  /\bmy knowledge (doesn t|does not) (stretch|go|extend)\b|\bbeyond my (knowledge|remit|expertise|area)\b|\bnot up to date (on|with)\b|\bskip ahead\b|\b(don t|do not) (really )?follow (that|this|it)\b|\bnot something i (ve|have) been involved in\b|\bi (wasn t|was not|m not|am not|haven t been|have not been) involved\b/,
  /\bcan t give (you )?(a|an) (reliable|good|proper|honest|real) answer\b|\bnothing (useful|i can) (to )?(add|say)\b|\bnothing useful to (say|add)\b|\bnot a question i can answer\b|\b(someone|somebody) (in|from|at) .{0,25}would know\b|\bwould know better\b|\bnot (informed|familiar|knowledgeable) enough\b|\bhold off on (that|this)\b|\ba mystery to me\b|\bout of my depth\b/,
  /\bnot the right person\b|\bnot my (area|field|department|responsibility)\b|\bi d be guessing\b|\bnothing to say\b/,
  // Stand-in set, sixth round: declines the rules missed in every question.
  /\b(i ve|i have) been (here|with the city|in the role|in this role)( only)? (for )?(only )?(a |an |a couple of |a few |two |three )?(days?|weeks?|months?)\b|\bnot part of my (job|role|remit)\b|\b(doesn t|does not) (really )?apply to me\b|\bno information (about|on) (that|this|it)\b/,
  /\bnothing to share\b|\b(doesn t|does not) concern me\b|\b(need|have|ll have|d have) to see the (figures|numbers|data) first\b|\bno thoughts\b|\b(jag )?vet (inte|ej)\b|\bingen aning\b|\binga kommentarer\b/,
  // Not understanding or not caring to answer: "What do you mean?", "Can't be bothered".
  /\b(don t|do not|dont) (really )?understand (the|this|your) question\b|^ (what do you mean|whatever|meh|can t be bothered)\b|\bdepends (on )?how you define\b/,
  // New in the job, someone else's area, plain moving on: "I've been in the role for two weeks".
  /\b(i ve|i have) (only )?been (in (the |this )?(role|post|job)|here|with the city) (for )?(\w+ )?(days?|weeks?|months?)\b|\b(i m|i am) new (here|to the|to this|in the|in this)\b|\b(i )?(only )?just (started|joined)\b|\bjoined (only )?recently\b|\b(this|that|it) is more (of )?(the |a |an )?(\w+ ){0,3}(area|domain|field|department|question|thing)\b|^ (moving on|go figure|will revert|none of your business|i haven t heard|i havent heard)\b|\b(wasn t|was not|wasnt) part of (the )?(\w+ )?(work|process|team|discussions?)\b/,
  /\b(i m|i am) (going to|gonna) (pass|skip)\b|\bnot my (call|wheelhouse|patch|lane|domain|remit)\b|\boutside my lane\b|\b(i m|i am|i ve been) (out of|not in) the loop\b|^ out of the loop|\bnot (an|the) expert (on|in) (this|that|it)\b|\b(i ll|i will|let me) (find out|ask (the |my )?(team|colleagues?)) and (let you know|tell you|get back)\b|\b(i m|i am) not up to speed\b|\bdon t ask me\b|\bi decline\b/,
];

/**
 * Who would know instead, or whose business it is, beside a decline: "En tiedä, tietohallinto
 * tietää", "Not sure, I'm from the education side", "someone else handles the sote side". The
 * topic words inside them name no answer, so they leave the remainder. They never make an answer
 * a don't-know by themselves: they apply only once a phrase above has fired.
 */
const DEFLECTIONS: RegExp[] = [
  /\b(\w+ ){0,2}(tietaa|tietavat|tietaisi|voisi tietaa|voi tietaa|osaa vastata|osaavat vastata)( paremmin| enemman)?\b/,
  /\b(olen|oon|ma oon|mina olen) (\w+ )?\w+(puolelta|puolella|puolen|toimesta)\b/,
  /\b(\w+ ){0,2}(would|might|may|could|will) know( better| more)?\b|\b(\w+ ){0,2}knows? (better|more)\b/,
  /\b(i m|i am) (from|on|in) (the )?(\w+ ){1,2}(side|team|department)\b/,
  /\b(someone|somebody|joku) (else|muu) (handles|runs|does|deals with|looks after|hoitaa|vetaa)( the)?( \w+){0,2}\b|\b(\w+ ){0,2}(hoitaa|vetaa|hoitavat) joku muu\b/,
  /\b(\w+ ){0,2}(isn t|is not|ei ole|ei oo) (mine|my thing|my job|minun|mun)( \w+)?\b/,
];

/** Words that may surround a don't-know phrase without making it a real answer. */
const FILLER = new Set(
  ('sori sorry anteeksi valitettavasti hmm hm no noh ihan aivan yhtaan tahan tata tasta kysymykseen kysymys vastata vastaamaan ' +
    'sanoa sanoo nyt talla hetkella suoraan tarkkaan tarkalleen viela asiaan asiasta myohemmin kollegalta kollega palata ' +
    'paljon enaa mitaan jarkevaa oikein kylla tosiaan rehellisesti sanottuna minulle mulle vieras aihe aiheesta ' +
    'i m i d i ll let me we this that one it question answer here now really honestly unfortunately actually just right at ' +
    'the moment time so yet sorry um uh well please on to about what for my me of a an be is am and or tbh yet first ' +
    'en ei et en ole oo on ja tai mutta kun kuin se sen sita ne ma mina me te sina kerta kerralla uudestaan ensi kysy kysya ' +
    'tama tuo tuota sitten siis niin vaan kanssa joten think guess guessing know say tell comment remember sure area responsibility ' +
    'person new job role position in this that there ' +
    // Why the respondent does not know ("olen ollut talossa vasta kuukauden", "I've only been here a month").
    'olen ollut talossa talossa vasta kuukauden kuukausi viikon viikkoa tullut taloon uusi aloitin been only here month months week weeks joined started recently yet ' +
    // Sixth round: the frame of a longer decline ("such a short time that I can't say anything sensible").
    'such short anything sensible useful definite vahan aikaa etten pysty sanomaan because koska since joten').split(' '),
);

/** True for an empty answer or one made of punctuation only ("-", "?", "..."). */
export function isBlank(text: string): boolean {
  return tokenize(text).length === 0;
}

/**
 * True when the answer says "don't know" or declines, and says little else. "En osaa sanoa",
 * "EOS", "skip", "n/a", "-" → true; "en ole varma, mutta rahoitus ainakin" → false (a contrast
 * follows with content). Rules only: the normaliser's own decision also uses a learned detector.
 */
export function isDontKnow(text: string): boolean {
  return dontKnowRemainder(text) !== undefined;
}

/**
 * The words a don't-know answer says besides declining (folded; filler words left out), or
 * undefined when the rules do not call it a don't-know. "Ei mitään sanottavaa tähän" → [];
 * "Nothing to say except funding" → ["except", "funding"]: a category cue among these words
 * may still name something, one inside the declining phrase ("ei mitään") never does.
 */
export function dontKnowRemainder(text: string): string[] | undefined {
  if (isBlank(text)) return [];
  const folded = ` ${fold(text).replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
  if (!PHRASES.some((re) => re.test(folded))) return undefined;
  // A contrast introduces the real answer: "not sure, but funding for one".
  if (/\b(mutta|but|however|although|vaikka|kuitenkin)\b/.test(folded)) return undefined;
  let rest = folded;
  for (const re of [...PHRASES, ...DEFLECTIONS]) rest = rest.replace(new RegExp(re.source, 'g'), ' ');
  const content = rest.split(' ').filter((w) => w.length > 1 && !FILLER.has(w));
  return content.length <= 3 ? content : undefined;
}

/**
 * A hedged or bare "no": "Not that I know of", "Ei tietääkseni", "I don't think so", "Ei.".
 * The words of knowing make it look like a don't-know, but it answers the question: for a
 * question with a "no" category (rpa `not_considered`, sote_impact `no_impact`) it is that one.
 */
export function isHedgedNo(text: string): boolean {
  const folded = ` ${fold(text).replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
  return HEDGED_NO.some((re) => re.test(folded));
}

const HEDGED_NO: RegExp[] = [
  /^ (no|nope|nah|no no|ei|ei ole|ei oo|eipa|ei mitaan|ei kai|en usko|tuskin|not really|ei oikeastaan|no not really) $/,
  /^ (no |ei )?(not that i (know|am aware|m aware|can think) of|not to my knowledge|not as far as i know|as far as i know (it s |it is |it |they )?(not|no|isn t|haven t|hasn t)|i don t (think|believe) so|don t think so|afaik (not|no)|not afaik)( no| at all)? $/,
  /^ (ei )?((minun |mun )?tietaakseni|kasittaakseni|luullakseni|muistaakseni)( ei)?( ole| oo)?( ei)?( mitenkaan| lainkaan)? $/,
];
