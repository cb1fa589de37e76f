      *> A variable-length record: a header and 0 to 5 items
      *> (OCCURS DEPENDING ON), written with RECORD VARYING.
       01  VAR-REC.
           05  V-ID                PIC X(8).
           05  V-TOTAL             PIC S9(7)V99 COMP-3.
           05  V-COUNT             PIC 9(2).
           05  V-ITEM OCCURS 0 TO 5 TIMES DEPENDING ON V-COUNT.
               10  V-ITEM-AMT      PIC S9(5)V99 COMP-3.
               10  V-ITEM-CODE     PIC X(2).
               10  V-ITEM-QTY      PIC S9(3).
