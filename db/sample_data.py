"""The sample plan: Theme 7 of a real Police and Crime Plan, quarter 2 2017/18."""

from __future__ import annotations

SAMPLE: dict = {
    "plan": {
        "title": "Police and Crime Plan",
        "years": "2016-18",
        "organisation": "Office of the Police and Crime Commissioner for Nottinghamshire",
        "commissioner": "Paddy Tipping",
        "marking": "OFFICIAL",
        "theme_word": "Theme",
        "action_word": "Action",
        "appendix_label": "APPENDIX A",
        "version_label": "Draft V1",
    },
    "statuses": [
        {
            "code": "G",
            "label": "Green",
            "colour": "#00B050",
            "meaning": "Achieved or Adequate Progress being Made",
            "complete": False,
        },
        {
            "code": "A",
            "label": "Amber",
            "colour": "#FFC000",
            "meaning": "Started but Inadequate Progress or Risk that it won't be achieved",
            "complete": False,
        },
        {
            "code": "R",
            "label": "Red",
            "colour": "#FF0000",
            "meaning": "Unachieved or likely that it won't be achieved",
            "complete": False,
        },
        {
            "code": "B",
            "label": "Blue",
            "colour": "#0070C0",
            "meaning": "Complete",
            "complete": True,
            # The paper's key has four rows: Blue marks an action complete but is not listed.
            "in_key": False,
        },
        {
            "code": "W",
            "label": "White (NS)",
            "colour": "#FFFFFF",
            "meaning": "Not Started but Planned to take place during later Qrt",
            "complete": False,
        },
    ],
    "periods": [
        {
            "label": "Q2 2017/18",
            "starts": "2017-04-01",
            "ends": "2017-09-30",
            "heading": "QRT 2 UPDATE (April 2017 to September 2017)",
        },
    ],
    "themes": [
        {
            "number": "7",
            "title": "Spending Public Money Wisely",
            "aim": None,
            "performance_heading": "Strategic Priority Theme 7: Spending your money wisely",
            "why_important": (
                "The Commissioner has a legal requirement to provide a balanced budget and monitor "
                "actual spend against budget for Police and crime. Sickness monitoring contributes "
                "to providing an effective and efficient workforce. The Commissioner aims to "
                "ensure that Nottinghamshire Police is an employer that reflects the communities "
                "it serves.\n"
                "\n"
                "The public need to be assured that they can rely on Police crime figures and in "
                "order to build trust and confidence its importance to publish the results.\n"
                "\n"
                "With diminishing resources, managing demand by reducing unnecessary calls for "
                "Police service is more important now than it's ever been so that resources are "
                "available to respond to incidents which carry a high Threat, Harm or Risk to "
                "people living, working or visiting Nottinghamshire. HMIC Value for Money Profiles "
                "2015 identifies that Nottingham has one of the highest 999 calls per 1000 "
                "population nationally."
            ),
            "actions": [
                {
                    "ref": "7C01",
                    "leads": ["KD"],
                    "plan_ref": "PL1",
                    "activity": (
                        "Provide leadership and active support for the development of a strategic "
                        "alliance with Leicestershire and Northamptonshire Police."
                    ),
                    "added_in": None,
                    "closed_in": None,
                    "status": "A",
                    "update": (
                        "A decision had been made not to progress with the full proposals of the "
                        "TR-Force Collaboration at this time. Key work streams that will progress "
                        "as part of this collaboration are Information Services, Finance and ICT."
                    ),
                },
                {
                    "ref": "7C02",
                    "leads": ["CR"],
                    "plan_ref": None,
                    "activity": (
                        "Ensure the Force achieves a balance budget and delivers the required "
                        "efficiency savings."
                    ),
                    "added_in": None,
                    "closed_in": None,
                    "status": "G",
                    "update": (
                        "A report detailing a balanced budget was submitted and approved by the "
                        "Police and Crime Panel on 6th Feb 2017. Budget management meeting between "
                        "the PCC and Force take place on a monthly basis. The Force is on track to "
                        "achieve a balanced budget. Current indications are that the expenditure "
                        "will be within budget with a possible underspend."
                    ),
                },
                {
                    "ref": "7C03",
                    "leads": ["CR"],
                    "plan_ref": None,
                    "activity": (
                        "Achieve greater financial savings and improve service delivery through "
                        "collaboration with other Forces and organisations."
                    ),
                    "added_in": None,
                    "closed_in": None,
                    "status": "G",
                    "update": "See 7C05 below.",
                },
                {
                    "ref": "7C04",
                    "leads": ["NW"],
                    "plan_ref": None,
                    "activity": (
                        "Produce a commissioning framework with clear outcomes, which supports "
                        "social responsibility strategies."
                    ),
                    "added_in": None,
                    "closed_in": None,
                    "status": "A",
                    "update": (
                        "The OPCC has a large portfolio of commissioning activity, with only one "
                        "dedicated post in place. Funding has been earmarked to pay for an "
                        "additional commissioning post, which will bring extra capacity and allow "
                        "the commissioning framework to be developed during 2017. The target is to "
                        "complete this action by the end of Q4."
                    ),
                },
                {
                    "ref": "7C05",
                    "leads": ["CR"],
                    "plan_ref": None,
                    "activity": "Submit bids to maximise funding opportunities nationally.",
                    "added_in": None,
                    "closed_in": None,
                    "status": "A",
                    "update": (
                        "The Tri Force Collaboration is £5.2m over two years.\n"
                        "\n"
                        "National projects with Notts as PCC lead and originally CC lead include:\n"
                        "\n"
                        "• National Business Crime Hub £203,541 approved for 16/17, £398,681 for "
                        "17/18, £398,681 for 18/19, Total £1,000,903 – revised figures have been "
                        "submitted awaiting approval.\n"
                        "• Public Private Partnership Intelligence £125,000 16/17, £250,000 17/18, "
                        "£125,000 18/19 Total £500,000\n"
                        "\n"
                        "More bids for Transformation Funding have been made we are awaiting "
                        "notice of any award."
                    ),
                },
                {
                    "ref": "7C06",
                    "leads": ["KD"],
                    "plan_ref": None,
                    "activity": (
                        "Actively support and work with partners to develop a business case and "
                        "develop an appropriate relationship between the future Mayor and PCC, "
                        "subject to local consent."
                    ),
                    "added_in": None,
                    "closed_in": None,
                    "status": "A",
                    "update": (
                        "Devolution deal for Nottinghamshire and Derbyshire is on hold. Police and "
                        "Crime Commissioner for both areas were actively engaged in the "
                        "discussions about the proposal for a single Mayor to have responsibility "
                        "for policing and other emergency services as part of the formal "
                        "submission to Government. Nottingham and Derby cities have developed a "
                        "joint metro strategy to increase opportunities to bring investment and "
                        "jobs for local people. This action is being kept under review by the "
                        "Commissioner and will form part of future priorities if circumstances "
                        "change."
                    ),
                },
                {
                    "ref": "7C07",
                    "leads": ["KD"],
                    "plan_ref": None,
                    "activity": (
                        "Work with emergency service providers to improve the efficiency and "
                        "effectiveness of public services."
                    ),
                    "added_in": None,
                    "closed_in": None,
                    "status": "G",
                    "update": (
                        "Policing and Crime Act received Royal Ascent in January 2017. The Act put "
                        "in place a statutory responsibility for police and fire to collaborate to "
                        "[improve] effectiveness and better public safety outcomes. Different "
                        "collaboration models are permissible under the Act. Fire and Police are "
                        "working in collaboration [at] different levels. Examples include:\n"
                        "\n"
                        "• Collocation of premises\n"
                        "• NFRs is embedded with police emergency planning\n"
                        "• NFRS/Police staff part it dedicated teams to support working the high "
                        "crime neighbourhoods\n"
                        "• NFRS/Police supporting Princes Trust Programme\n"
                        "• Joint engagement in local delivery of national programme for the "
                        "Emergency Service network\n"
                        "• Joint East Midland blue light collaboration meeting.\n"
                        "\n"
                        "The Commissioner is now a co-opted member of Nottinghamshire and "
                        "Nottingham City Fire and Rescue Authority as of June 2017. A joint "
                        "'collaboration' board has been established to formalise and agree a joint "
                        "work programme."
                    ),
                },
                {
                    "ref": "7C08",
                    "leads": ["KD"],
                    "plan_ref": "PL1",
                    "activity": (
                        "Review regional governance structure to align with strategic alliance "
                        "'single operating model'"
                    ),
                    "added_in": None,
                    "closed_in": None,
                    "status": "A",
                    "update": (
                        "A common scheme of Governance including financial regulations across the "
                        "three forces is under development.\n"
                        "\n"
                        "A decision had been made not to progress with the full proposals of the "
                        "TR-Force Collaboration at this time. Key work streams that will progress "
                        "as part of this collaboration are Information Services, Finance and ICT."
                    ),
                },
                {
                    "ref": "7C09",
                    "leads": [],
                    "plan_ref": None,
                    "activity": (
                        "The PCC supports the Committee on Standards in Public Life and will hold "
                        "the Chief Constable explicitly to account for promoting ethical behaviour "
                        "& embedding the College of Policing's Code of Ethics. The Force to "
                        "prepare a report to the Strategic Resources & Performance Meeting on how "
                        "this standard is embedded."
                    ),
                    "added_in": "Q2 2017/18",
                    "closed_in": None,
                    "status": "G",
                    "update": (
                        "[The Force] produced a report for the Strategic Resources and Performance "
                        "meeting of 25 May 2017 to explain how this standard is embedded within "
                        "the Force. This will now form [part of the] Annual Forward Plan to hold "
                        "the Chief Constable to account.\n"
                        "\n"
                        "http://www.nottinghamshire.pcc.police.uk/Document-Library/"
                        "Public-Information/Meetings/Strategic-Resources-and-Performance/May-2017/"
                        "Item-04-Code-of-Ethics-update.pdf"
                    ),
                },
                {
                    "ref": "7F01",
                    "leads": ["SO"],
                    "plan_ref": "PL7.3",
                    "activity": "Recruit more volunteers (especially BME) to support policing.",
                    "added_in": None,
                    "closed_in": None,
                    "status": "G",
                    "update": (
                        "There are 80 volunteers of which 8.75% are from BME communities. This is "
                        "twice as high as the overall Force representation which is 4.7%. 20 "
                        "volunteers were recruited during 2016-17."
                    ),
                },
                {
                    "ref": "7F02",
                    "leads": ["ACC Prior"],
                    "plan_ref": None,
                    "activity": (
                        "Provide operational leadership to progress the Tri-Force collaboration "
                        "subject to the business case."
                    ),
                    "added_in": None,
                    "closed_in": "Q2 2017/18",
                    "status": "A",
                    "update": (
                        "A decision had been made not to progress with the full proposals of the "
                        "TR-Force Collaboration at this time. Key work streams that will progress "
                        "as part of this collaboration are Information Services, Finance and ICT.\n"
                        "\n"
                        "Phil Eaton has now been appointed to progress the IS element of the "
                        "Tri-force collaboration and during the recent E-FEB panels he was able to "
                        "assess how the proposals for each operational department will be linked "
                        "to IS programme. Whilst no longer supporting a programme for a Strategic "
                        "Alliance the three forces continue to work closely together to improve "
                        "the effectiveness and efficiency of the forces. Some Transformation "
                        "funding has been awarded mainly to provide the enterprise architecture "
                        "that will enable a single way of working and standardise policies and "
                        "procedures particularly I relation to the use of IT. This work continues "
                        "even tough Northants are exploring further options in relation to all of "
                        "their IT provision.\n"
                        "\n"
                        "The tri-force collaboration is now complete. This action can now be "
                        "closed."
                    ),
                },
                {
                    "ref": "7F03",
                    "leads": ["ACC Prior", "Austin Fuller"],
                    "plan_ref": "PL5",
                    "activity": (
                        "Ensure that the National Strategic Policing Requirements are reviewed "
                        "regularly"
                    ),
                    "added_in": "Q2 2017/18",
                    "closed_in": None,
                    "status": "G",
                    "update": (
                        "These areas were re-inspected by HMIC in September. HMIC undertook a risk "
                        "based approach and did not examine in detail because the Force had been "
                        "graded as […] inspections. There were no concerns raised at the time of "
                        "Inspection.\n"
                        "\n"
                        "[The force] continues to robustly comply with its obligations to meet the "
                        "Strategic Policing Requirement (SPR) and help plan, prepare and mitigate "
                        "against [no] notice [threats that] extend beyond regional and national "
                        "boundaries. The force addresses the following national threats outlined "
                        "in the SPR by ensuring resourcing and process solutions are in place "
                        "between […] national forces, ROCUs and other law enforcement partners. "
                        "This is undertaken within the SPR's 5 C's framework consisting of "
                        "Capacity […] Consistent; and Connectivity.\n"
                        "\n"
                        "• Terrorism – Nottinghamshire Police form part a regional Counter "
                        "Terrorism resourcing solution that operates throughout the East Midlands. "
                        "Governance is via a regional Supt reporting into the national forum for "
                        "counter terrorism. A local link is maintained by a Special Branch "
                        "function operating at Police HQ.\n"
                        "• Serious Organised Crime – Nottinghamshire Police has a SOC unit that is "
                        "supported by Intelligence and neighbourhood Policing teams in order to "
                        "mitigate threats. High risk issues are escalated via the force tasking & "
                        "coordination process to the East Midlands ROCU, with further escalation "
                        "to national tasking process and the NCA as required, should the extent of "
                        "the threat necessitate a national response. Governance is provided by a "
                        "Supt lead officer for SOC who reports into the ACC for Crime. "
                        "Multi-agency working is in place via City & County SOC Partnership "
                        "Boards.\n"
                        "• CSEA – The Force level Public Protection team has a dedicated Child "
                        "Abuse and Sexual Exploitation Unit. In line with national recommendations "
                        "capacity and capability is being invested in and grown across the online "
                        "and digital specialisms in order to improve knowledge and connectivity. "
                        "Local governance is via a Supt lead officer, with high risk issues "
                        "escalated to regional and national tasking. A Strategic Governance Group "
                        "also exists which is overseen by an assigned lead officer from within the "
                        "region (currently a Lincs Supt).\n"
                        "• National Cyber Security Incident(s) – A force and regional Cyber lead "
                        "officer (ACC Prior – Nottinghamshire) is in place. At a local and "
                        "regional level threats and vulnerabilities are managed in line with the "
                        "national Cyber security strategy (2016-21) based upon defend, deter and "
                        "develop implementation plans.\n"
                        "• Civil Emergencies and Public Order – Nottinghamshire Police form part "
                        "of a 4 force solution (EMOpSS) that provide operational support […] the "
                        "region. This service incorporates the primary response to large scale "
                        "public order or civil contingencies issues. EMOpSS have collaborative "
                        "arrangements in place with other forces to ensure sufficien[…] of the "
                        "capability in specific specialisms within operational support policing. "
                        "EMOpSS maintain a local presence within each of the 4 regional force […] "
                        "& Coordination meeting to assist […]\n"
                        "\n"
                        "Force and Regional Strategic Tasking & Coordination processes review and "
                        "assess the 5C framework in line with SPR. Both the force and region "
                        "refresh their local priorities and Control Strategies within their "
                        "respective Strategic Intelligence Threat & Risk Assessments."
                    ),
                },
                {
                    "ref": "7F04",
                    "leads": ["Jo Ratchford"],
                    "plan_ref": "PL7.4",
                    "activity": "Provide Positive Action support for BME candidates",
                    "added_in": "Q2 2017/18",
                    "closed_in": None,
                    "status": "G",
                    "update": (
                        "The Force has in Positive Action plans in place for recruitment, which "
                        "incorporate the College of Policing BME action plan. Operation Voice was "
                        "launched aimed at increasing applications from our diverse communities. "
                        "Positive action activity included recruitment seminars for BME/LGBT+ "
                        "potential applicants, allocation of buddies/mentors, workshops on "
                        "completing the CBQs and we have recently engaged the services of Talking "
                        "Blues to provide pre-assessment centre support to BME & LGBT+ candidates."
                    ),
                },
                {
                    "ref": "7F05",
                    "leads": ["DCC Barber"],
                    "plan_ref": "PL7.5",
                    "activity": (
                        "Introduce proactive mentoring, training and recruitment to ensure greater "
                        "representation of women & BME candidates in senior roles?"
                    ),
                    "added_in": "Q2 2017/18",
                    "closed_in": None,
                    "status": "G",
                    "update": (
                        "The Force has recently promoted coaching and mentoring opportunities "
                        "across the organisation with a particular focus on increasing "
                        "mentoring/coaching take up by our underrepresented groups. Also to "
                        "increase the Mentors/Coaches from these groups. Senior Managers involved "
                        "in the recent Inspector promotion process received unconscious bias "
                        "training. The EDI team have conducted 30 confidential discussions with "
                        "BME & LGBT+ officers and staff with a view to understanding more about "
                        "barriers to progression and required interventions to assist with "
                        "progression.\n"
                        "\n"
                        "10.10.17 - An integrated modular programme is being developed to address "
                        "each development need identified within the confidential discussions "
                        "report and the DCC is working with the BPA (Black Police Association) to "
                        "support and identify specific actions to achieve greater representation. "
                        "The force has run a number of positive action recruitment events to "
                        "complement its recruitment drive and is exploring alternative methods of "
                        "targeting recruitment events to underrepresented groups."
                    ),
                },
                {
                    "ref": "7F06",
                    "leads": ["DCC Barber"],
                    "plan_ref": "PL7.6",
                    "activity": (
                        "Publish annual reports on the perceptions and experiences of BME officers "
                        "in the force & the steps which have been identified to bring about change?"
                    ),
                    "added_in": "Q2 2017/18",
                    "closed_in": None,
                    "status": "G",
                    "update": (
                        "During the year, 30 confidential discussions have taken place with BME "
                        "and LGBT+ officers, in order to gather information that will assist "
                        "Nottinghamshire Police to form the basis of a mentoring/ development "
                        "programme, aimed at enabling officers to pursue their own professional "
                        "development and to assist them to fulfil their career aspirations. A "
                        "report detailing the findings has been prepared and submitted to the DCC "
                        "for consideration.\n"
                        "\n"
                        "10.10.17 - The force is currently identifying the best way to publish and "
                        "share perceptions and experiences to better shape behaviours in the "
                        "workplace. Furthermore, a research project has been agreed with "
                        "Nottingham Trent University to undertake research into BME Police "
                        "officers and Police staff perceptions and experiences of hate crime. The "
                        "research contract is currently being finalised and it is estimated that "
                        "the research will be undertaken during the remaining time of December "
                        "2017 to March 2018."
                    ),
                },
                {
                    "ref": "7F07",
                    "leads": ["DCC Barber", "DH"],
                    "plan_ref": None,
                    "activity": (
                        "NO COMPREHENSIVE STRATEGY FOR MANAGING DEMAND: Work with Partners to "
                        "develop and implement a comprehensive strategy to better manage demand "
                        "through prevention, building shared capacity and capability. Within the "
                        "Force Quality of Service Programme a systematic review of service "
                        "provision will occur and this will incorporate the following activities:\n"
                        "\n"
                        "• Analysing the type and nature of police and relevant partnership demand "
                        "to determine how such demand should be responded to having regard to "
                        "available shared resources.\n"
                        "• Explore ways in which repeat demand can be reduced by early "
                        "preventative interventions and better use of technology's\n"
                        "• Make recommendations in regards to the level of resilience and capacity "
                        "of Volunteers and Special Constables.\n"
                        "• Consider future service provision related to investigations to ensure "
                        "that resources are more effectively utilised.\n"
                        "• Develop a communications strategy that seeks to better manage public "
                        "expectations with regard to changes in service provision and priorities"
                    ),
                    "added_in": "Q2 2017/18",
                    "closed_in": None,
                    "status": "A",
                    "update": (
                        "• The force has engaged Process Evolution to complete a 'Deep Dive' "
                        "review of Contact Management to help us understand how he department "
                        "deals with conventional demand and to make recommendations on how it can "
                        "work more efficiently to give improved customer service. The initial "
                        "findings are expected to be reported in September and this will lead to "
                        "the development of a business case. Following this review will be reviews "
                        "of other departments and functions where demand enters the organisation "
                        "to deliver efficient ways of working in those areas.\n"
                        "• This work will be overseen by a Programme Board chaired by an ACC and "
                        "decisions will then pass to the Force Executive Board for sign off prior "
                        "to implementation. The PCC will be reviewing the Forces understanding of "
                        "demand and how it intends to work with partners at the November Strategic "
                        "Resources Meeting. Chair of the main Public Partnerships for the City and "
                        "County will be invited to this meeting. The PCCs Strategic Assessment "
                        "will also include information on demand and on current and future "
                        "threats.\n"
                        "\n"
                        "10.10.17 - The force is developing its use of technology to reduce demand "
                        "and is looking to further invest in neighbourhood policing to ensure "
                        "early preventative interventions.\n"
                        "\n"
                        "10.10.17 - Update Dan Howitt - The force continues to systematically "
                        "identify opportunities to better manage demand as part of Annual "
                        "Departmental Assessment process introduced in 2017. Underpinned by more "
                        "targeted 'deep dive' reviews in areas such as Contact Management and "
                        "Response, the ADA process is helping to improve our understanding of "
                        "demand and improve organisational efficiency and effectiveness in dealing "
                        "with demand as part of the business planning process.\n"
                        "\n"
                        "Police and Crime Needs Assessment continues to highlight growing agency "
                        "demands in relation vulnerability and complex need, particularly in "
                        "health demands, improvements in the identification of hidden harm and "
                        "bespoke neighbourhood issues of Anti-social Behaviour. Work continues via "
                        "the Mental Health Crisis Care Concordat, community safety and victim "
                        "service commissioning framework and neighbourhood-level problem solving "
                        "to maximise opportunities to best prevent and manage these areas of "
                        "demand. The OPCC is also exploring opportunities to progress a bid for "
                        "academic research into the changing demands on the police front line "
                        "officers, police training and development and partnership working in an "
                        "age of austerity."
                    ),
                },
                {
                    "ref": "7F08",
                    "leads": ["DCC Barber"],
                    "plan_ref": None,
                    "activity": (
                        "BME REPRESENTATION AND DISPARITIES IN SERVICE OUTCOMES: Explore and "
                        "implement ways in which the workforce levy Apprenticeship opportunities "
                        "can be utilised locally and or regionally to advance BME representation "
                        "within the Force(s) for school leavers"
                    ),
                    "added_in": "Q2 2017/18",
                    "closed_in": None,
                    "status": "A",
                    "update": (
                        "One of the new Strategic Priorities for the force is to be an Employer of "
                        "Choice, having a representative workforce is directly linked to this "
                        "priority. At the recent E-FEB panels a number of proposals were "
                        "considered and approved to look at developing new entry routes into the "
                        "organisation. This work will be progressed by individual departments but "
                        "with the oversight of HR to ensure that achieving a representative "
                        "workforce remains a priority.\n"
                        "\n"
                        "10.10.17 - As highlighted earlier the force is actively exploring new "
                        "ways to engage with under-represented groups and encourage entry to "
                        "policing through a number of employment choices, including "
                        "apprenticeships."
                    ),
                },
                {
                    "ref": "7P01",
                    "leads": ["NW"],
                    "plan_ref": None,
                    "activity": (
                        "Greater commissioning, pooling budgets and integration of services to "
                        "achieve greater efficiency and to deliver service improvement."
                    ),
                    "added_in": None,
                    "closed_in": None,
                    "status": "G",
                    "update": (
                        "The Commissioner has been working towards greater integration of budgets "
                        "and services. Achievements include pooling domestic abuse support funding "
                        "with the local […] city Council and Nottingham Clinical Commissioning "
                        "Group to enable an […] for sexual violence survivors. The Commissioner's "
                        "substance misuse funding and service delivery are also pooled and "
                        "integrated.\n"
                        "\n"
                        "The Victim CARE service has brought services together to provide enhanced "
                        "support to a greater range of victims.\n"
                        "\n"
                        "Following the 2015 Grant Thornton Community Safety Audit there is further "
                        "work to be done to implement greater budget and service integration with "
                        "the community safety partnerships.\n"
                        "\n"
                        "Greater commissioning, pooling of budgets etc.: the PCC's new Victim CARE "
                        "service, which began in January 2017, has pooled his budgets for victim "
                        "support and restorative justice, resulting in a more holistic integrated "
                        "service for victims as well as financial savings. In addition, the PCC "
                        "has pooled budgets where possible as part of co-commissioning "
                        "arrangements. Examples include domestic abuse support in the county, "
                        "sexual violence support in the city. Discussions are on-going with "
                        "partners at the time of writing about pooling budgets for SARC and "
                        "domestic abuse in the city when services are re-commissioned."
                    ),
                },
                {
                    "ref": "7P02",
                    "leads": ["ME"],
                    "plan_ref": "PL1",
                    "activity": (
                        "Ensure there are practical information sharing agreements in place to "
                        "support multi-agency and locality working."
                    ),
                    "added_in": None,
                    "closed_in": None,
                    "status": "G",
                    "update": (
                        "Currently there are ISAs in place with 26 multi-agency organisations "
                        "which are supporting locality working."
                    ),
                },
                {
                    "ref": "7P03",
                    "leads": ["WB"],
                    "plan_ref": None,
                    "activity": (
                        "Provide enhanced leadership and decision making through reviewing the "
                        "role and function of SNB."
                    ),
                    "added_in": None,
                    "closed_in": None,
                    "status": "G",
                    "update": (
                        "SNB review work was delivered in two phases, the first being related to "
                        "governance was agreed and signed off by the Safer Nottinghamshire Board "
                        "(SNB) in April 2016, this […] confirmed the SNB interim review findings "
                        "and initial recommendations of; Role and function, Vision and principles, "
                        "Governance and Priorities.\n"
                        "\n"
                        "The second phase was agreed in August 2016 and included a range of "
                        "operational matters relating to what the SNB would focus on and how "
                        "business would be conducted. The only outstanding matter from this phase "
                        "is the establishment of cross organisation / function analytical "
                        "resources which is work in progress and is still reporting to the SNB – "
                        "see 3C02 above."
                    ),
                },
            ],
            "measures": [
                {
                    "number": "1",
                    "measure": "Make efficiency savings",
                    "objective": (
                        "Make savings in line with MTFP by the end of each financial year\n"
                        "\n"
                        "Ensure that detailed plans are in place to ensure the savings target is "
                        "met."
                    ),
                    "target": "To make £5.5m saving by March 2018",
                    "footnotes": [],
                    "performance": (
                        "Latest position statement – September 2017.\n"
                        "\n"
                        "Financial savings continue to be closely monitored as we end the first "
                        "half of the year ensuring that they are aligning to the Medium Term "
                        "Financial Plan (MTFP) and the recent ADA business planning process. "
                        "Indications still show that we are on course to meet our financial "
                        "objectives for this year whilst maintaining the levels of planned "
                        "recruitment throughout the organisation. Departmental budget meetings "
                        "will commence in October to begin the process for assessing any further "
                        "risks or opportunities for 2018/19."
                    ),
                },
                {
                    "number": "2",
                    "measure": "Total number of days lost to sickness",
                    "objective": (
                        "Reduce the number of days lost to sickness to ensure that the Force "
                        "remains in line with national trends"
                    ),
                    "target": "a) 3.7% for officers (8.2 days)\n\nb) 3.7 % for staff (8.2 days)",
                    "footnotes": [],
                    "performance": (
                        "Data is to the end of September 2017.\n"
                        "\n"
                        "The latest rolling 12 month (October 2016 to September 2017) sickness "
                        "data for the Force reveals that officer sickness is 5.3% against the "
                        "target of 3.7%. This equates to 11.6 days lost to sickness versus the "
                        "target of 8.2 days. September, August and July have remained stable "
                        "following recent months of an increasing trend for police officer "
                        "sickness.\n"
                        "\n"
                        "For the same period, staff sickness was 3.5% against the target of 3.7%. "
                        "This equates to 7.7 days lost to sickness versus the target of 8.2 days. "
                        "Staff sickness rates continue to reduce month on month."
                    ),
                },
                {
                    "number": "3",
                    "measure": "BME representation",
                    "objective": (
                        "To reduce the gap in current BME representation within the Force and "
                        "local BME community representation in respect of:\n"
                        "\n"
                        "• Recruitment for officers and staff to reflect the local community"
                    ),
                    "target": (
                        "Increase BME representation within the Force to reflect the BME community"
                    ),
                    "footnotes": [
                        (
                            "The overall objective is for the Force to represent the community it "
                            "serves. The county BME population is 11.2%."
                        ),
                    ],
                    "performance": (
                        "September data shows that BME headcount is at 4.62% for Police Officers "
                        "and 4.69% for Police Staff. This is below the 11.2% for Nottinghamshire "
                        "resident population (2011 Census)."
                    ),
                },
                {
                    "number": "4",
                    "measure": (
                        "Improve data quality and compliance with national recording standards."
                    ),
                    "objective": (
                        "To improve the quality and integrity of data recording to ensure that "
                        "crime is better understood, ethically recorded and responded to."
                    ),
                    "target": (
                        "Compliance rate with national recording standard in respect of Total "
                        "Crime."
                    ),
                    "footnotes": [
                        (
                            "Data Quality to be monitored through the PCC Delivery Plan to "
                            "evidence that quality is improving."
                        ),
                        (
                            "Performance for Violent crime, Sexual Crime and compliance rates "
                            "prior to intervention to be monitored through the PCC Delivery Plan."
                        ),
                    ],
                    "performance": (
                        "This measure is reported quarterly. Latest position statement for August "
                        "2017. The next update will be in the November Report.\n"
                        "\n"
                        "• The NCRS Compliance Team will be phased in throughout 2017, albeit with "
                        "a leaner structure than first proposed. The team will be responsible for "
                        "reviewing all crime related incidents, immediately after opening, to "
                        "record crimes where the basic principles for doing so are met. Where "
                        "there is insufficient information initially recorded to make a "
                        "determination, incidents will be reviewed again for compliance if closed "
                        "without a crime number. Processes will evolve and be regularly reviewed "
                        "to ensure that excellent levels of NCRS compliance are consistently "
                        "achieved.\n"
                        "\n"
                        "The Force are still due to be subject to a Crime Data Integrity "
                        "Inspection by the HMIC at some point in the future. The HMIC visits are "
                        "unannounced with forces being given three weeks' notice of their "
                        "intention to arrive in force. The work already undertaken and proposed "
                        "for the future puts Nottinghamshire Police in a strong position ahead of "
                        "the HMIC inspection.\n"
                        "\n"
                        "The latest weekly audit conducted by the Force Crime Registrar (FCR) "
                        "revealed a compliance level of 91.9%, in respect of the appropriate "
                        "creation of crimes from incidents. Compliance for violence and sexual "
                        "offences was found to be extremely good at 100%. Compliance for burglary "
                        "and robbery offences was lower however and requires action to improve. "
                        "The FCR has communicated a reminder to all sergeants and performance will "
                        "be monitored through the on-going audit process."
                    ),
                },
                {
                    "number": "5",
                    "measure": "Manage Demand for Service with partners",
                    "objective": "Reduce Unnecessary Demand for Service",
                    "target": (
                        "Monitor the number of:\n"
                        "\n"
                        "a) Total Calls received at Control Room\n"
                        "\n"
                        "b) 999 calls per 100k Population"
                    ),
                    "footnotes": [],
                    "performance": (
                        "The Force received 52,641 calls to the control room in September 2017. "
                        "Performance year to date (April to September 2017) suggests an "
                        "approximate 8% increase in the number of calls to the control room "
                        "against predicted values for the same period.\n"
                        "\n"
                        "Of the calls to the control room, a total of 14,915 were 999 calls which "
                        "is below the anticipated level (average 16,200 calls anticipated in "
                        "September). This equates to 1,366 calls per 100k population."
                    ),
                },
            ],
        },
    ],
    # The covering report the appendix is attached to (001, 003, 004): a sample, its
    # figures taken from the Tri-Force funding in 7C05's update.
    "reports": [
        {
            "period": "Q2 2017/18",
            "title": "Police and Crime Plan (2016-18) – Theme 7 Update",
            "public": True,
            "sections": [
                {
                    "heading": "Purpose",
                    "text": (
                        "To provide the Police and Crime Panel with an update on the delivery "
                        "of Strategic Theme 7 of the Police and Crime Plan, Spending Public "
                        "Money Wisely, for the second quarter of 2017/18 (April to September "
                        "2017)."
                    ),
                },
                {
                    "heading": "Recommendation",
                    "text": (
                        "The Panel is asked to note the progress made against the actions of "
                        "Theme 7 and the performance measures set out in Appendix A."
                    ),
                },
                {
                    "heading": "Background",
                    "text": (
                        "The Police and Crime Plan (2016-18) sets out seven strategic themes. "
                        "The Panel scrutinises one theme at each meeting; this report covers "
                        "Theme 7.\n"
                        "\n"
                        "Of the 20 actions in the theme, 12 are Green and 8 are Amber; none is "
                        "Red. The overall rating is therefore very good.\n"
                        "\n"
                        "Three actions were added this quarter (7C09, 7F03 and 7F04) and one "
                        "(7F02) has been completed and closed."
                    ),
                },
                {
                    "heading": "Financial",
                    "text": (
                        "The Tri-Force collaboration has secured national funding for two "
                        "projects over three years, set out in Table 1.\n"
                        "\n"
                        "[table: Table 1: Tri-Force national funding (£'000)]\n"
                        "\n"
                        "The figures for 2017/18 and 2018/19 will be revised once the business "
                        "cases are approved."
                    ),
                },
                {
                    "heading": "Legal",
                    "text": "There are no legal implications arising from this report.",
                },
                {
                    "heading": "Equalities",
                    "text": (
                        "Actions 7F04 and 7F05 support the Force's work to improve the "
                        "representation of BME officers and staff."
                    ),
                },
                {
                    "heading": "Risk",
                    "text": (
                        "The risk that the Tri-Force collaboration does not deliver its "
                        "savings is recorded on the Commissioner's strategic risk register."
                    ),
                },
                {"heading": "Public interest", "text": ""},
                {
                    "heading": "Lead officer",
                    "text": "Chief Executive, Office of the Police and Crime Commissioner.",
                },
                {"heading": "Annexes", "text": "Appendix A – Strategic Theme 7 update, quarter 2."},
                {"heading": "Approval", "text": ""},
            ],
            "tables": [
                {
                    "name": "Table 1: Tri-Force national funding (£'000)",
                    "columns": ["2016/17 (£'000)", "2017/18 (£'000)", "2018/19 (£'000)"],
                    "rows": [
                        {"label": "National Business Crime Hub", "cells": ["204", "399", "399"]},
                        {
                            "label": "Public Private Partnership Intelligence",
                            "cells": ["125", "250", "125"],
                        },
                        {"label": "TOTAL", "cells": ["", "", ""], "total": True},
                    ],
                }
            ],
            "approvals": [
                {
                    "role": "Chief Executive",
                    "name": "J. Smith",
                    "statement": "I have been consulted about the report and approve it.",
                    "date": "2017-10-16",
                }
            ],
        }
    ],
}
