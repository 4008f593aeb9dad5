"""Small word lists the banned-phrase matcher needs to tell a disguise from ordinary English.

Written by hand for this project (no dictionary is loaded at run time):

* `COMMON_SHORT_WORDS`: everyday English words of one to four letters. Two fragments joined across
  a space make a banned word ("c heap" → "cheap") only when at least one of them is not a word on
  its own; fragments of five letters or more count as words. So "the rapist" stays two words
  while "c heap", "che ap" and "chea p" read as one.
* `NOT_INFLECTIONS`: common words that look like a short word plus an ending but are not a form of
  it ("better" is not "bet" + "-er", "only" is not "on" + "-ly"). A banned word's endings are never
  matched as these.
"""

COMMON_SHORT_WORDS = frozenset(
    """
    a i
    am an as at be by do go he hi if in is it me my no of oh ok on or ox so to up us we ye
    ace act add ago aid aim air all and ant any ape apt arc are ark arm art ash ask ate awe axe bad
    bag ban bar bat bay bed bee beg bet bid big bin bit bow box boy bud bug bun bus but buy bye cab
    can cap car cat cod cow cry cub cup cut dad day den dew did die dig dim dip doe dog dot dry due
    dug dye ear eat egg ego elf elk elm end era eve eye fan far fat fax fed fee few fig fin fit fix
    fly foe fog for fox fry fun fur gap gas gel gem get gin god got gum gun gut guy gym had ham has
    hat hay hen her hey hid him hip his hit hog hop hot how hub hue hug hum hut ice icy ill ink inn
    ion its ivy jam jar jaw jet job jog joy jug key kid kin kit lab lad lag lap law lay led leg let
    lid lie lip lit log lot low mad man map mat may men met mid mix mob mom mop mud mug mum nap net
    new nod nor not now nun nut oak oar oat odd off oil old one opt orb ore our out owe owl own pad
    pal pan pat paw pay pea peg pen per pet pie pig pin pit pod pop pot pro pub pun pup put rag ram
    ran rap rat raw ray red rib rid rig rim rip rob rod rot row rub rug run rye sad sag sat saw say
    sea see set sew she shy sin sip sir sit six ski sky sly sob sod son sow soy spa spy sub sue sum
    sun tab tag tan tap tar tax tea ten the tie tin tip toe ton too top toy try tub tug two urn use
    van vat vet via vow wad wag war was wax way web wed wet who why wig win wit woe wok won woo wow
    yak yam yap yes yet you zip zoo
    able ache acre acts aged ages aide aims airs ally also alto arch area arms army arts asks atom
    aunt auto avid away axis baby back bade bags bait bake bald ball band bang bank bare bark barn
    base bath bead beak beam bean bear beat beds beef been beer bees bell belt bend bent best bets
    bias bike bill bind bird bite blew blow blue blur boar boat body boil bold bolt bomb bond bone
    book boom boot bore born boss both bowl bows boys brew brow bulb bulk bull bump burn bury bush
    busy buys buzz cafe cage cake calf call calm came camp cane cans cape caps card care cars cart
    case cash cast cats cave cell chat chef chin chip chop cite city clad clap clay clip club clue
    coal coat code coil coin cold come cone cook cool cope copy cord core cork corn cost cosy coup
    cove cows crab crew crop crow cube cups cure curl cute cuts dame damp dare dark darn dart dash
    data date dawn days dead deaf deal dean dear debt deck deed deem deep deer demo dent deny desk
    dial dice diet digs dine dirt disc dish dive dock does dogs doll dome done door dose dots dove
    down drag draw drew drip drop drum dual duck duel duke dull duly dumb dump dune dusk dust duty
    each earn ears ease east easy eats echo edge edit eggs else ends epic even ever evil exam exit
    eyes face fact fade fail fair fake fall fame fans fare farm fast fate fear feat feed feel fees
    feet fell felt fern fest file fill film find fine fire firm fish fist fits five flag flat fled
    flew flip flow foam foil fold folk fond font food fool foot fork form fort foul four free frog
    from fuel full fund fury fuse gain gait gale game gang gaps gate gave gaze gear gene gift girl
    give glad glee glow glue goal goat goes gold golf gone good gown grab gram gray grew grey grid
    grim grin grip grow gulf guru gust guys hail hair half hall halt hand hang hard harm hate haul
    have hawk head heal heap hear heat heel held hell helm help herb herd here hero hers hide high
    hike hill hint hire hold hole holy home hood hook hope horn hose host hour huge hull hung hunt
    hurt hush hymn icon idea idle inch info into iron isle item jack jail jazz jeep jest jobs join
    joke jump june jury just keen keep kept kick kids kill kind king kiss kite knee knew knit knot
    know lace lack lady laid lake lamb lamp land lane laps last late lawn laws lazy lead leaf leak
    lean leap left legs lend lens less lest lied lies life lift like limb lime limp line link lion
    lips list live load loaf loan lock loft logo lone long look loop lord lose loss lost lots loud
    love luck lump lung lure lush made mail main make male mall malt many maps mark mars mask mass
    mate math maze meal mean meat meet melt memo mend menu mere mess mice mild mile milk mill mind
    mine mint miss mist mode mold mole mood moon more moss most moth move much mule must myth nail
    name navy near neat neck need nest nets news next nice nine node none noon norm nose note noun
    oath obey odds odor oils okay once ones only onto open oral oval oven over owed owes owns pace
    pack pact page paid pain pair pale palm pans park part pass past path peak pear peas peel peer
    pens pest pets pick pier pile pill pine pink pint pipe pits plan play plea plot plug plum plus
    poem poet pole poll pond pony pool poor pope pops pork port pose post pots pour pray prey pull
    pump punk pure push puts quit quiz race rack raft rage raid rail rain rank rare rate rats read
    real rear reef rely rent rest rice rich ride rift ring riot ripe rise risk road roam roar robe
    rock rode role roll roof room root rope rose rows rude ruin rule rush rust safe saga sage said
    sail sake sale salt same sand sang save says scan scar seal seam seas seat sect seed seek seem
    seen self sell semi send sent sets shed ship shoe shop shot show shut sick side sigh sign silk
    sing sink site size skin skip slam slap slid slim slip slot slow snap snow soak soap soar sock
    soft soil sold sole some song sons soon sore sort soul soup sour span spin spot spur star stay
    stem step stir stop such suit sums sung sunk sure surf swan swap sway swim tail take tale talk
    tall tame tank tape taps task taxi team tear tech teen tell temp tend tens tent term test text
    than that thee them then they thin this thus tick tide tidy tied ties tile till time tiny tips
    tire toad toes told toll tomb tone tons took tool tops tore torn toss tour town toys trap tray
    tree trek trim trio trip true tube tuck tune turn twin type ugly unit upon urge used user uses
    vain vary vase vast veil vein verb very vest veto vice view vine visa void vote wade wage wait
    wake walk wall want ward warm warn wash wave wavy ways weak wear weed week well went were west
    what when whip whom wide wife wild will wind wine wing wink wipe wire wise wish with woke wolf
    womb wood wool word wore work worm worn wrap yard yarn yeah year yell your zero zone zoom
    """.split()
)

NOT_INFLECTIONS = frozenset(
    """
    better bitter butter batter letter litter matter manner banner dinner summer supper hammer copper
    pepper inner ladder gutter potter hatter tanner shutter slipper caper paper taper super rubber
    chatter corner number hunger danger temper easter master poster mister offer flower tower
    early apply supply rally tally belly bully silly jelly
    shed seed feed weed wicked
    evening morning pudding herring
    news
    """.split()
)
