"""The print stack every paged output shares: WeasyPrint, theme CSS, joining parts."""
