package briefing

import "strings"

// Lexicons are read-only tables built once at package initialisation. Keys
// are lower case unless a table says otherwise.

// wordSet is a read-only set of words. Each set also owns one bit of the
// per-token lexicon mask, so hot loops test membership with d.in(k, set)
// instead of a map look-up.
type wordSet struct {
	m   map[string]struct{}
	bit uint64
	// lens and firsts are a cheap pre-filter in front of the map: bit
	// min(len(w), 63) of lens and bit w[0]&63 of firsts are set for every
	// member w, so most non-members are rejected without hashing.
	lens, firsts uint64
}

func (s wordSet) has(w string) bool {
	if s.lens&(1<<min(len(w), 63)) == 0 || len(w) > 0 && s.firsts&(1<<(w[0]&63)) == 0 {
		return false
	}
	_, ok := s.m[w]
	return ok
}

// newWordSet builds the map and pre-filter of a set.
func newWordSet(f []string) wordSet {
	s := wordSet{m: make(map[string]struct{}, len(f))}
	for _, w := range f {
		s.m[w] = struct{}{}
		s.lens |= 1 << min(len(w), 63)
		if len(w) > 0 {
			s.firsts |= 1 << (w[0] & 63)
		}
	}
	return s
}

// lexSets lists every set in creation order; it is appended to only while
// the package initialises and read-only afterwards.
var lexSets []wordSet

func set(words string) wordSet {
	if len(lexSets) >= 64 {
		panic("briefing: more than 64 lexicon sets")
	}
	s := newWordSet(strings.Fields(words))
	s.bit = 1 << len(lexSets)
	lexSets = append(lexSets, s)
	return s
}

// smallSet builds a set without a mask bit, for tables consulted only in
// bounded scans; d.in falls back to a map look-up for it.
func smallSet(words string) wordSet {
	return newWordSet(strings.Fields(words))
}

// lexBits maps a lower-case word to the mask of the sets holding it. Built
// once in init, read-only afterwards.
var lexBits map[string]uint64

func init() {
	lexBits = map[string]uint64{}
	for _, s := range lexSets {
		for w := range s.m {
			lexBits[w] |= s.bit
		}
	}
}

// countryWords holds the keys of countryOf as a set.
var countryWords = func() wordSet {
	var b strings.Builder
	for w := range countryOf {
		if !strings.Contains(w, " ") {
			b.WriteString(w)
			b.WriteByte(' ')
		}
	}
	return set(b.String())
}()

// speechVerbs introduce or attribute speech.
var speechVerbs = set(`said says say saying told tells telling added adds adding
noted notes noting stressed stresses stressing wrote writes writing posted posts posting
declared declares insisted insists insisting warned warns warning urged urges urging
claimed claims claiming argued argues arguing asked asks replied replies explained explains
announced announces acknowledged admitted accused accuses confirmed confirms commented
continued observed remarked recalled suggested suggests tweeted vowed vows pledged
promised predicted conceded cautioned emphasised emphasized emphasising emphasizing
underlined maintained countered responded quipped joked boasted complained lamented
denied demanded asserted stated signalled signaled indicated mused quoted called
described describing told reiterated reiterates repeated admitted insisting
announcing acknowledged write admits concedes recalls insists warns explains acknowledges
observes remarks stresses notes praised hailed dismissed branded labelled labeled termed
condemned criticised criticized remembers remembered recounts recounted adds says recalls
tells writes argues believes answered answers pointed underscored underscores highlighted
threatened agreed objected protested estimated concluded wondered whispered shouted
characterised characterized messaged texted reported reports announces declares states
replies responds warns urges claims asks notes stresses cautions vows pledges promises
predicts concedes acknowledges confirms denies insisted snapped retorted scoffed fumed
thundered exclaimed added`)

// speechNouns follow "in a" / "in an" to attribute speech ("in a statement").
var speechNouns = set(`statement interview post video address speech briefing message tweet`)

// auxiliaries and adverbs that may sit between a subject and its verb.
var auxAdv = set(`has have had was were is are will would could may might can should shall
also already later then earlier previously repeatedly again reportedly separately
further once still just recently similarly meanwhile apparently initially subsequently
on friday monday tuesday wednesday thursday saturday sunday yesterday today
not never been being did does do to expected due set scheduled plans planned hopes intends
wants going able ready likely now first personally reportedly briefly prepared willing
eager keen happy hoping trying seeking preparing unlikely poised`)

// modals and markers that make a meeting planned or hypothetical.
var plannedMarkers = set(`will would could may might shall to plans plan planned prepared poised
eager keen hoping seeking preparing yet
expected due set scheduled hopes hoped intends intended proposed wants wanted invited
ready willing upcoming possible potential`)

// negators cancel a meeting ("did not meet", "refused to meet").
var negators = set(`not never no refused declined rejected ruled cancelled canceled postponed
without n’t n't`)

// honorifics precede a name and are not part of it.
var honorifics = set(`mr mrs ms miss dr prof mr. mrs. ms. dr. sir dame lord lady
president vice premier chancellor gen gen. general lt lt. col col. maj maj. capt capt.
sgt adm sen sen. senator rep rep. representative gov gov. governor king queen prince
princess crown sheikh emir pope father archbishop cardinal judge justice mayor
minister secretary ambassador commissioner chairman chairwoman marshal colonel
lieutenant major captain admiral rabbi imam ayatollah patriarch saint st taoiseach tanaiste
tánaiste chief`)

// maleHon and femaleHon give a mention's gender for pronoun agreement.
var maleHon = set(`mr mr. sir lord king prince father`)
var femaleHon = set(`mrs ms miss mrs. ms. dame lady queen princess`)

// roleHeads end a role phrase ("Russian foreign minister", "Kyiv mayor").
var roleHeads = set(`president minister envoy adviser advisor aide mayor governor
spokesman spokeswoman spokesperson leader chief commander secretary chancellor
ambassador general official head director negotiator premier senator lawmaker
legislator congressman congresswoman mp prosecutor ceo chairman chairwoman chair
diplomat representative deputy analyst correspondent editor officer colonel
lieutenant captain admiral marshal king queen prince emir sheikh pope monarch
counterpart commissioner administrator executive founder boss judge attorney
lawyer politician candidate speaker ruler tsar czar delegate mediator emissary
ombudsman inspector ministers premier strongman dictator tycoon billionaire
businessman sergeant major chancellor taoiseach tánaiste`)

// leaderHeads are heads that can refer to a head of state or government.
var leaderHeads = set(`president leader premier chancellor king ruler head strongman`)

// roleMods may stand inside a role phrase before its head.
var roleMods = set(`north south east west northeastern northwestern southeastern southwestern
foreign policy defence defense interior finance prime deputy special
senior top chief former acting interim regional military investment economic national
security presidential peace trade vice state health justice energy army air force navy
naval intelligence opposition party general staff joint armed forces city local district
provincial government administration press public climate education agriculture
transport infrastructure culture digital labour labor home treasury war emergency
humanitarian human rights nuclear veteran longtime long-time close key lead main
parliamentary parliament ruling union business campaign election white house kremlin
police fire rescue border customs spy sanctions media communications political affairs
european commission council member team delegation executive newly elected appointed
outgoing incoming incumbent retired exiled jailed late deputy first unofficial official
envoy middle east africa ukraine russia us u.s. un nato eu foreign-policy
de facto self-declared assistant associate principal regional oblast military-civil
civil civilian administration region oblast's region's country's city's`)

// roleStop ends a backward scan for a role phrase.
var roleStop = set(`the a an his her its their our your my this that these those and or
but with by of to for from in on at as than who whom which met meets said told says
was were is are has have had be been will would could also after before while when
where if about into over under between among against via per amid including like`)

// determiners open a role or body noun phrase.
var determiners = set(`the a an`)

// prepositions whose object is never the subject of a following verb.
var objPreps = set(`with to of by for from about against on at into between among
including via toward towards than like upon onto`)

// stopCaps are capitalised words that start sentences or clauses and are not
// names.
var stopCaps = set(`the a an but and or so yet if as at in on of for by with from to
this that these those there here it its he she they we i you his her their our my
when while after before since although though because however meanwhile earlier later
also still then now today yesterday tomorrow overnight asked speaking according
video photo image watch read related more mr mrs ms dr what who why how where which
some many several most all both each every no not one two three four five six seven
eight nine ten dozens hundreds thousands under over during until despite amid among
last next new former senior top chief officials sources residents authorities police
air ukraine’s russia’s western eastern southern northern central
did does do is are was were has have had can could should`)

// days and months are never names; they feed "when" phrases.
var days = set(`monday tuesday wednesday thursday friday saturday sunday`)
var months = set(`january february march april may june july august september october
november december jan feb mar apr jun jul aug sep sept oct nov dec`)

// nameParticles may sit inside a name between capitalised words.
var nameParticles = set(`bin bint ibn al el van der den de von da di du la le abu ben dos das`)

// pronouns usable as speakers.
var pronouns = set(`he she it they`)

// bodyHeads end the noun phrase of an institution that can speak or report.
var bodyHeads = set(`force kremlin staff ministry house department pentagon street
police military army navy government administration office service services agency
command council committee cabinet parliament guard authorities officials military's
watchdog presidency commission bureau prosecutors prosecutor's directorate
headquarters mission embassy spokesperson's regime rosaviatsia idf hamas hezbollah
nato un`)

// bodyWords are one-word bodies that speak without a head ("the Kremlin said").
var bodyWords = set(`kremlin pentagon idf hamas hezbollah nato`)

// orgWords mark a capitalised run as an organisation or thing, not a person.
var orgWords = set(`news times post press agency council union ministry force forces army
party sea strip bank street house office department committee group airport station
square bridge river university hospital day summit conference treaty agreement plan
act fund corporation company inc ltd network television tv radio magazine journal
guardian telegraph reuters bbc cnn cbs nbc abc fox afp ap tass ria interfax
kremlin pentagon nato eu un white black red national international federation
republic kingdom states united nations security general assembly parliament duma
rada senate congress court church museum palace hall centre center airlines
nation show channel service services guard navy military command staff government
administration bureau commission cabinet region oblast province district city town
village street avenue road port plant station institute foundation organisation
organization alliance coalition movement front brigade battalion regiment corps
telegram facebook x twitter instagram youtube whatsapp tiktok truth social
iskander-m kinzhal kalibr shahed geran patriot nasams himars atacms storm shadow
google apple microsoft meta tesla opec g7 g20 brics mod isw
war peace crimea donbas donbass europe asia africa america forum democrats republicans
emirates arab holy heritage site base headquarters operator system transmission asian
coordination u.n. u.s. centre center school academy cathedral stadium park market tower bay
island islands lake valley gulf canal mountains sea ocean railway railways energy grid
ukrenergo naftogaz gazprom rosatom rosaviatsia airbase
ryanair maersk boeing airbus lockheed raytheon rheinmetall thales saab safran
rosneft lukoil novatek transneft sberbank vtb euroclear clearstream visa mastercard
shell bp exxon chevron totalenergies equinor eni gazprombank rostec roscosmos aeroflot
suspilne ukrinform unian hromadske rbc izvestia kommersant vedomosti pravda kyodo yonhap
xinhua kcna irna anadolu wafa belta bloomberg politico axios semafor cbc abc nhk
roskomnadzor rosgvardia fsb svr gru sbu hur nabu sapo dbr wagner azov akhmat kraken
frontex europol interpol eurostat eurocontrol opec iaea unicef unesco unhcr ohchr
amnesty greenpeace oxfam msf icrc`)

// nationality adjectives and country references, mapped to a country code.
var countryOf = map[string]string{
	"us": "us", "u.s.": "us", "american": "us", "america": "us", "washington": "us", "united states": "us",
	"russian": "ru", "russia": "ru", "kremlin": "ru", "moscow": "ru", "russia’s": "ru", "russia's": "ru",
	"ukrainian": "ua", "ukraine": "ua", "kyiv": "ua", "kiev": "ua", "ukraine’s": "ua", "ukraine's": "ua",
	"british": "gb", "uk": "gb", "u.k.": "gb", "britain": "gb", "britain’s": "gb", "britain's": "gb",
	"french": "fr", "france": "fr", "german": "de", "germany": "de", "chinese": "cn", "china": "cn",
	"beijing": "cn", "israeli": "il", "israel": "il", "palestinian": "ps", "iranian": "ir", "iran": "ir",
	"turkish": "tr", "turkey": "tr", "indian": "in", "india": "in", "polish": "pl", "poland": "pl",
	"italian": "it", "italy": "it", "spanish": "es", "spain": "es", "japanese": "jp", "japan": "jp",
	"saudi": "sa", "qatari": "qa", "egyptian": "eg", "syrian": "sy", "belarusian": "by", "irish": "ie",
	"canadian": "ca", "hungarian": "hu", "dutch": "nl", "finnish": "fi", "swedish": "se", "norwegian": "no",
	"estonian": "ee", "latvian": "lv", "lithuanian": "lt", "romanian": "ro", "moldovan": "md",
	"georgian": "ge", "korean": "kr", "indonesian": "id", "belgian": "be", "austrian": "at",
	"swiss": "ch", "greek": "gr", "czech": "cz", "slovak": "sk", "danish": "dk", "portuguese": "pt",
	"brazilian": "br", "mexican": "mx", "australian": "au", "pakistani": "pk", "sudanese": "sd", "north korean": "kp", "european": "eu", "nato": "nato",
}

// places are well-known place names (lower case) that are never people.
var places = set(`ukraine russia kyiv kiev moscow washington london paris berlin brussels
beijing crimea donbas donbass kharkiv kharkov sumy cherkasy chernihiv chernivtsi
dnipropetrovsk dnipro donetsk ivano-frankivsk kherson khmelnytskyi kirovohrad luhansk
lugansk lviv mykolaiv nikolaev odesa odessa poltava rivne ternopil vinnytsia volyn
zakarpattia zaporizhzhia zaporizhia zaporozhye zhytomyr pavlohrad kramatorsk
sloviansk pokrovsk bakhmut avdiivka kupiansk kryvyi rih izium mariupol melitopol
belgorod bryansk kursk voronezh rostov krasnodar oryol tula ryazan kaluga lipetsk
smolensk tambov saratov tatarstan st petersburg sevastopol vidnoye jeddah riyadh
istanbul ankara geneva vienna warsaw minsk tbilisi budapest rome madrid helsinki
stockholm oslo copenhagen tallinn riga vilnius bucharest chisinau tehran tel aviv
jerusalem gaza cairo doha dubai abu dhabi beirut damascus baghdad delhi new york
tokyo seoul pyongyang ottawa rafah khan younis west bank europe asia africa america
united states kingdom britain england scotland wales ireland france germany china
israel iran turkey india poland italy spain japan syria lebanon egypt qatar saudi
arabia belarus georgia moldova hungary finland sweden norway estonia latvia lithuania
romania slovakia czech austria switzerland netherlands belgium canada mexico brazil
alaska anchorage sandringham davos munich hague kazan sochi black sea
islamabad belgrade bratislava prague canberra kabul caracas havana ljubljana zagreb
sarajevo podgorica skopje tirana athens lisbon dublin amsterdam bern luxembourg reykjavik
yerevan baku astana tashkent bishkek dushanbe ashgabat hanoi bangkok manila jakarta
singapore taipei dhaka kathmandu tunis algiers rabat tripoli khartoum nairobi
kampala kinshasa abuja accra dakar pretoria johannesburg luanda harare brasilia
lima bogota quito montevideo asuncion ramallah amman muscat manama sanaa aden
erbil mosul aleppo idlib homs kandahar karachi lahore mumbai kolkata chennai shanghai
hong kong macau odessa kherson nikopol marhanets enerhodar horlivka makiivka melitopol
berdiansk tokmak huliaipole orikhiv vuhledar kurakhove toretsk chasiv yar siversk 
kupyansk vovchansk shebekino sudzha rylsk lgov novorossiysk tuapse saratov
murmansk kaliningrad yekaterinburg novosibirsk vladivostok khabarovsk irkutsk omsk
chelyabinsk ufa samara volgograd astrakhan makhachkala grozny nalchik vladikavkaz
kerch feodosia dzhankoi simferopol yalta evpatoria armyansk`)

// weaponKind maps a weapon noun to its kind.
var weaponKind = map[string]string{
	"drone": Drones, "drones": Drones, "uav": Drones, "uavs": Drones, "shahed": Drones,
	"shaheds": Drones, "shahed-type": Drones, "geran-2": Drones, "gerans": Drones, "quadcopters": Drones,
	"missile": Missiles, "missiles": Missiles, "rocket": Missiles, "rockets": Missiles,
	"bomb": GuidedBombs, "bombs": GuidedBombs, "kabs": GuidedBombs, "kab": GuidedBombs,
}

// missileTypes refines a missile count into a finer kind when the article
// types the missiles in words (model names alone do not).
var missileTypes = map[string]string{
	"ballistic": BallisticMissiles, "cruise": CruiseMissiles,
}

// numberWords are spelled-out counts.
var numberWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
	"fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
	"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
	"eighty": 80, "ninety": 90, "dozen": 12, "hundred": 100,
}

// approxMarkers before a number make it a floor or an estimate.
var approxMarkers = set(`least more over about around nearly almost roughly approximately some
up than estimated`)

// personNouns are what casualty counts count.
var personNouns = set(`people persons person civilians civilian residents resident others
adults adult men man women woman children child boys boy girls girl teenagers teenager
minors infants infant baby babies passengers workers soldiers servicemen employees
pensioners elderly individuals police officers rescuers medics firefighters more
sons daughters brothers sisters relatives parents grandparents neighbours neighbors
members journalists volunteers personnel troops policemen policewomen guards pilgrims
worshippers students pupils fishermen farmers miners tourists shoppers commuters patients
doctors nurses palestinians israelis ukrainians russians afghans pakistanis syrians iraqis
iranians yemenis gazans lebanese sudanese kurds`)

// childNouns are casualty nouns counted as children.
var childNouns = set(`children child boys boy girls girl teenagers teenager minors infants infant
baby babies kids schoolchildren`)

// killedWords and injuredWords classify casualty verbs.
var killedWords = set(`killed dead died killing kill deaths death toll perished lost`)
var injuredWords = set(`injured wounded hurt hospitalised hospitalized injuring wounding
injuries wounds hospital treated medical`)

// attackWords show that a sentence is about an attack.
var attackWords = set(`attack attacks attacked strike strikes struck shelling shelled drone
drones missile missiles bomb bombs bombing bombardment raid raids hit hits explosion
explosions blast shot downed intercepted destroyed launched fired assault debris`)

// personRoles are common nouns that present an ordinary person ("Olha, a
// nurse"). They also head role phrases ("the nurse said").
var personRoles = set(`soldier sergeant nurse engineer resident mother father teacher operator
volunteer pensioner doctor driver farmer student worker medic paramedic firefighter rescuer
grandmother grandfather widow shopkeeper owner priest refugee veteran miner electrician
commander fighter officer marine pilot gunner artist musician writer journalist
photographer activist survivor retiree lawyer businesswoman businessman manager cook
accountant programmer mechanic baker waiter neighbour neighbor son daughter wife husband`)

// acronyms are organisation names only when written in capitals ("UN" is
// the United Nations, "Un" ends Kim Jong Un).
var acronyms = set(`un eu us uk idf bbc cnn cbs nbc abc afp ap ria isw mod nato`)
