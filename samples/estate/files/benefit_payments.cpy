      *> Monthly benefit payments (养老金发放) as the host extracts them:
      *> IBM1388 text with SO/SI Chinese names, packed amounts, binary months.
       01  BENEFIT-PAY-REC.
           05  PAY-ID              PIC X(16).
           05  PERSON-ID           PIC X(15).
           05  PERSON-NAME         PIC X(20).
           05  AAE140              PIC X(2).
           05  PAY-PERIOD          PIC 9(6).
           05  PAY-AMOUNT          PIC S9(9)V99 COMP-3.
           05  CONTRIB-MONTHS      PIC S9(4) COMP.
           05  PAY-STATUS          PIC X.
